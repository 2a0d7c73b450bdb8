import { expect } from 'chai';
import { addKrMapRoute, KrParameterBindingError, writeKrJsonResponse, writeKrTextResponse } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';
import { fetchUrl } from '../support/https-client.ts';
import type { HttpResult } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

describe('Write-KrJsonResponse (writeKrJsonResponse)', () => {
  let server: InProcessServer;
  /** The route body under test; /probe runs it inside a real request. */
  let route: () => void = () => undefined;
  let reachedEnd = false;

  before(async () => {
    server = await startInProcess(() => {
      addKrMapRoute({
        verbs: ['Get', 'Post'],
        path: '/probe',
        scriptBlock: () => {
          route();
          reachedEnd = true;
        },
      });
    });
  });

  after(async () => {
    await server.stop();
  });

  async function respond(body: () => void, headers: Record<string, string> = {}): Promise<HttpResult> {
    route = body;
    reachedEnd = false;
    server.logger.events.length = 0;
    return fetchUrl(`${server.url}/probe`, { headers });
  }

  it('sends 200 application/json; charset=utf-8 with two-space indented JSON', async () => {
    const response = await respond(() => writeKrJsonResponse({ inputObject: { name: 'Ann', tags: ['a', 'b'] } }));
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(response.body).to.equal('{\n  "name": "Ann",\n  "tags": [\n    "a",\n    "b"\n  ]\n}');
  });

  it('compress writes no whitespace at all', async () => {
    const response = await respond(() => writeKrJsonResponse({ inputObject: { a: 1, b: [1, 2] }, compress: true }));
    expect(response.body).to.equal('{"a":1,"b":[1,2]}');
  });

  it('sets Content-Length in bytes, with non-ASCII text left unescaped', async () => {
    const response = await respond(() => writeKrJsonResponse({ inputObject: { city: 'Zürich ✓' }, compress: true }));
    expect(response.body).to.equal('{"city":"Zürich ✓"}');
    expect(response.headers['content-length']).to.equal(String(Buffer.byteLength(response.body, 'utf8')));
  });

  it('keeps nulls and property names as given (ConvertTo-Json, not camel-cased)', async () => {
    const response = await respond(() => writeKrJsonResponse({ inputObject: { UserName: 'x', Missing: null }, compress: true }));
    expect(response.body).to.equal('{"UserName":"x","Missing":null}');
  });

  it('serialises scalars, arrays, dates, maps, sets and bigints', async () => {
    const cases: [unknown, string][] = [
      ['text', '"text"'],
      [42, '42'],
      [false, 'false'],
      [[1, 'two'], '[1,"two"]'],
      [[], '[]'],
      [new Date('2024-01-02T03:04:05.000Z'), '"2024-01-02T03:04:05.000Z"'],
      [new Map([['k', 1]]), '{"k":1}'],
      [new Set([1, 2]), '[1,2]'],
      [{ big: 12n }, '{"big":12}'],
      [12n, '12'],
      [{ gone: undefined, list: [undefined, 1] }, '{"gone":null,"list":[null,1]}'],
      [{ custom: { toJSON: () => ({ inner: 7n }) } }, '{"custom":{"inner":7}}'],
    ];
    for (const [inputObject, expected] of cases) {
      expect((await respond(() => writeKrJsonResponse({ inputObject, compress: true }))).body).to.equal(expected);
    }
  });

  it('uses the given status code, numeric strings included', async () => {
    expect((await respond(() => writeKrJsonResponse({ inputObject: {}, statusCode: 201 }))).status).to.equal(201);
    expect((await respond(() => writeKrJsonResponse({ inputObject: {}, statusCode: '404' as unknown as number }))).status).to.equal(404);
  });

  describe('contentType', () => {
    for (const [contentType, expected] of [
      ['application/problem+json', 'application/problem+json; charset=utf-8'],
      ['application/vnd.api+json; charset=utf-16', 'application/vnd.api+json; charset=utf-16'],
      ['text/plain', 'text/plain; charset=utf-8'],
      ['application/octet-stream', 'application/octet-stream'],
      ['', 'application/json; charset=utf-8'],
    ] as const) {
      it(`${JSON.stringify(contentType)} is sent as ${expected}`, async () => {
        const response = await respond(() => writeKrJsonResponse({ inputObject: { a: 1 }, contentType }));
        expect(response.headers['content-type']).to.equal(expected);
      });
    }
  });

  describe('depth', () => {
    const nested = { a: { b: { c: { d: 1 } } } };

    it('writes containers deeper than depth as their .NET type name, and warns', async () => {
      const response = await respond(() => writeKrJsonResponse({ inputObject: nested, depth: 1, compress: true }));
      expect(response.body).to.equal('{"a":{"b":"System.Collections.Hashtable"}}');
      expect(server.logger.messages('Warning')).to.deep.equal([
        'Resulting JSON is truncated as serialization has exceeded the set depth of 1.',
      ]);
    });

    it('depth 0 keeps only the top level', async () => {
      const response = await respond(() => writeKrJsonResponse({ inputObject: { a: { b: 1 }, list: [1] }, depth: 0, compress: true }));
      expect(response.body).to.equal('{"a":"System.Collections.Hashtable","list":"System.Object[]"}');
    });

    it('defaults to 10 levels', async () => {
      let deep: Record<string, unknown> = { leaf: true };
      for (let level = 0; level < 11; level++) deep = { next: deep };
      const response = await respond(() => writeKrJsonResponse({ inputObject: deep, compress: true }));
      expect(response.body).to.contain('"System.Collections.Hashtable"');
      expect(server.logger.messages('Warning')).to.have.length(1);
      const shallow = await respond(() => writeKrJsonResponse({ inputObject: { a: { b: { c: 1 } } }, compress: true }));
      expect(shallow.body).to.equal('{"a":{"b":{"c":1}}}');
      expect(server.logger.messages('Warning')).to.have.length(0);
    });

    it('accepts 100 and does not truncate what fits', async () => {
      expect((await respond(() => writeKrJsonResponse({ inputObject: nested, depth: 100, compress: true }))).body).to.equal(
        '{"a":{"b":{"c":{"d":1}}}}',
      );
    });
  });

  describe('buffering', () => {
    it('the last write wins, status and content type included, and the route runs on', async () => {
      const response = await respond(() => {
        writeKrJsonResponse({ inputObject: { first: true }, statusCode: 201 });
        writeKrTextResponse({ inputObject: 'second', statusCode: 202 });
        writeKrJsonResponse({ inputObject: { third: true }, statusCode: 203, compress: true });
      });
      expect(response.status).to.equal(203);
      expect(response.body).to.equal('{"third":true}');
      expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(reachedEnd).to.equal(true);
    });

    it('a route that fails after writing sends the error, not what it wrote', async () => {
      const response = await respond(() => {
        writeKrJsonResponse({ inputObject: { ok: true } });
        throw new Error('after the write');
      });
      expect(response.status).to.equal(500);
      expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500 });
    });
  });

  describe('bad input inside a route (the route fails: 500 JSON, error logged)', () => {
    for (const [label, call, message] of [
      ['depth above 100', () => writeKrJsonResponse({ inputObject: {}, depth: 101 }), "Write-KrJsonResponse: Cannot validate argument on parameter 'Depth'. The 101 argument is greater than the maximum allowed range of 100."],
      ['negative depth', () => writeKrJsonResponse({ inputObject: {}, depth: -1 }), "Write-KrJsonResponse: Cannot validate argument on parameter 'Depth'. The -1 argument is less than the minimum allowed range of 0."],
      ['a null inputObject', () => writeKrJsonResponse({ inputObject: null }), "Write-KrJsonResponse: Cannot bind argument to parameter 'InputObject' because it is null."],
      ['no inputObject', () => writeKrJsonResponse({} as { inputObject: unknown }), 'Write-KrJsonResponse: Cannot process command because of one or more missing mandatory parameters: InputObject.'],
      ['a status code Node cannot send (1xx)', () => writeKrJsonResponse({ inputObject: {}, statusCode: 100 }), "Write-KrJsonResponse: Cannot validate argument on parameter 'StatusCode'. The 100 argument is less than the minimum allowed range of 200."],
      ['a status code above 999', () => writeKrJsonResponse({ inputObject: {}, statusCode: 1000 }), "Write-KrJsonResponse: Cannot validate argument on parameter 'StatusCode'. The 1000 argument is greater than the maximum allowed range of 999."],
      ['a status code that is not a number', () => writeKrJsonResponse({ inputObject: {}, statusCode: 'OK' as unknown as number }), /^Write-KrJsonResponse: Cannot process argument transformation on parameter 'StatusCode'\./],
      ['compress as text', () => writeKrJsonResponse({ inputObject: {}, compress: 'yes' as unknown as boolean }), /^Write-KrJsonResponse: Cannot process argument transformation on parameter 'Compress'\./],
      ['an unknown parameter', () => writeKrJsonResponse({ inputObject: {}, asJson: true } as { inputObject: unknown }), "Write-KrJsonResponse: A parameter cannot be found that matches parameter name 'asJson'."],
    ] as const) {
      it(label, async () => {
        const response = await respond(call);
        expect(response.status).to.equal(500);
        expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
        expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500 });
        const logged = server.logger.events.find((event) => event.level === 'Error')?.error;
        expect(logged).to.be.instanceOf(KrParameterBindingError);
        if (typeof message === 'string') expect((logged as Error).message).to.equal(message);
        else expect((logged as Error).message).to.match(message);
        expect(reachedEnd).to.equal(false);
      });
    }
  });

  describe('outside a route', () => {
    it("does nothing but log Kestrun's warning", async () => {
      const { result, stdout } = await captureOutput(() => writeKrJsonResponse({ inputObject: { a: 1 } }));
      expect(result).to.equal(undefined);
      expect(stdout).to.match(
        /\[\d{2}:\d{2}:\d{2} WRN\] Write-KrJsonResponse must be called inside a route script block where \$Context is available\.\n/,
      );
    });

    it('still rejects bad parameters', () => {
      expect(() => writeKrJsonResponse({ inputObject: 1, depth: 500 })).to.throw(KrParameterBindingError, /'Depth'/);
    });
  });
});
