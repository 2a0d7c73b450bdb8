import { expect } from 'chai';
import { addKrMapRoute, KrParameterBindingError, writeKrJsonResponse, writeKrTextResponse } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';
import { fetchUrl } from '../support/https-client.ts';
import type { HttpResult } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

describe('Write-KrTextResponse (writeKrTextResponse)', () => {
  let server: InProcessServer;
  /** The route body under test; /probe runs it inside a real request. */
  let route: () => void = () => undefined;
  let reachedEnd = false;

  before(async () => {
    server = await startInProcess(() => {
      addKrMapRoute({
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

  async function respond(body: () => void): Promise<HttpResult> {
    route = body;
    reachedEnd = false;
    server.logger.events.length = 0;
    return fetchUrl(`${server.url}/probe`);
  }

  it('sends 200 text/plain; charset=utf-8 with the text verbatim', async () => {
    const response = await respond(() => writeKrTextResponse({ inputObject: 'Hello, World!\n  spaced' }));
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(response.body).to.equal('Hello, World!\n  spaced');
  });

  it("takes Kestrun's alias 'text'", async () => {
    expect((await respond(() => writeKrTextResponse({ text: 'via alias' }))).body).to.equal('via alias');
  });

  it('encodes UTF-8 and sets Content-Length in bytes', async () => {
    const response = await respond(() => writeKrTextResponse({ inputObject: 'grüße ✓ 🚀' }));
    expect(response.body).to.equal('grüße ✓ 🚀');
    expect(response.headers['content-length']).to.equal(String(Buffer.byteLength('grüße ✓ 🚀', 'utf8')));
  });

  it('uses the given status code', async () => {
    expect((await respond(() => writeKrTextResponse({ inputObject: 'gone', statusCode: 410 }))).status).to.equal(410);
  });

  it("writes other values as .NET's ToString() would", async () => {
    const cases: [unknown, string][] = [
      [42, '42'],
      [1.5, '1.5'],
      [true, 'True'],
      [false, 'False'],
      [['a', 'b'], 'System.Object[]'],
      [{ a: 1 }, 'System.Collections.Hashtable'],
      [new Map([['a', 1]]), 'System.Collections.Hashtable'],
    ];
    for (const [inputObject, expected] of cases) {
      expect((await respond(() => writeKrTextResponse({ inputObject }))).body).to.equal(expected);
    }
  });

  describe('contentType', () => {
    for (const [contentType, expected] of [
      ['text/html', 'text/html; charset=utf-8'],
      ['text/plain', 'text/plain; charset=utf-8'],
      ['text/csv; charset=iso-8859-1', 'text/csv; charset=iso-8859-1'],
      ['application/xml', 'application/xml; charset=utf-8'],
      ['image/svg+xml', 'image/svg+xml; charset=utf-8'],
      ['application/x-yaml', 'application/x-yaml; charset=utf-8'],
      ['application/octet-stream', 'application/octet-stream'],
      ['', 'text/plain; charset=utf-8'],
    ] as const) {
      it(`${JSON.stringify(contentType)} is sent as ${expected}`, async () => {
        const response = await respond(() => writeKrTextResponse({ inputObject: 'x', contentType }));
        expect(response.headers['content-type']).to.equal(expected);
      });
    }
  });

  describe('buffering', () => {
    it('the last write wins, and the route runs to its end', async () => {
      const response = await respond(() => {
        writeKrJsonResponse({ inputObject: { first: true }, statusCode: 201 });
        writeKrTextResponse({ inputObject: 'second', statusCode: 202, contentType: 'text/html' });
      });
      expect(response.status).to.equal(202);
      expect(response.body).to.equal('second');
      expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(reachedEnd).to.equal(true);
    });

    it('a later text write replaces the content type of an earlier custom one', async () => {
      const response = await respond(() => {
        writeKrTextResponse({ inputObject: '<b>x</b>', contentType: 'text/html' });
        writeKrTextResponse({ inputObject: 'plain' });
      });
      expect(response.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(response.body).to.equal('plain');
    });
  });

  describe('bad input inside a route (the route fails: 500 JSON, error logged)', () => {
    for (const [label, call, message] of [
      ['a null inputObject', () => writeKrTextResponse({ inputObject: null }), "Write-KrTextResponse: Cannot bind argument to parameter 'InputObject' because it is null."],
      ['no inputObject', () => writeKrTextResponse({}), 'Write-KrTextResponse: Cannot process command because of one or more missing mandatory parameters: InputObject.'],
      ['inputObject and text together', () => writeKrTextResponse({ inputObject: 'a', text: 'b' }), /^Write-KrTextResponse: Cannot bind parameter because parameter 'InputObject' is specified more than once\./],
      ['a 1xx status code', () => writeKrTextResponse({ inputObject: 'x', statusCode: 101 }), "Write-KrTextResponse: Cannot validate argument on parameter 'StatusCode'. The 101 argument is less than the minimum allowed range of 200."],
      ['a status code above 999', () => writeKrTextResponse({ inputObject: 'x', statusCode: 1200 }), "Write-KrTextResponse: Cannot validate argument on parameter 'StatusCode'. The 1200 argument is greater than the maximum allowed range of 999."],
      ['a content type that is not a string', () => writeKrTextResponse({ inputObject: 'x', contentType: { type: 'text/html' } as unknown as string }), /^Write-KrTextResponse: Cannot bind parameter 'ContentType'\./],
      ['an unknown parameter', () => writeKrTextResponse({ inputObject: 'x', encoding: 'utf8' } as { inputObject: unknown }), "Write-KrTextResponse: A parameter cannot be found that matches parameter name 'encoding'."],
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

  it('fails the route on its line, 500 JSON and the error logged, for a content type that cannot be a header', async () => {
    const response = await respond(() => writeKrTextResponse({ inputObject: 'x', contentType: 'text/plain\r\nx-injected: yes' }));
    expect(response.status).to.equal(500);
    expect(response.headers['x-injected']).to.equal(undefined);
    expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500 });
    const logged = server.logger.events.find((event) => event.level === 'Error')?.error;
    expect((logged as NodeJS.ErrnoException).code).to.equal('ERR_INVALID_CHAR');
    expect(reachedEnd).to.equal(false);
  });

  describe('outside a route', () => {
    it("does nothing but log Kestrun's warning", async () => {
      const { result, stdout } = await captureOutput(() => writeKrTextResponse({ inputObject: 'x' }));
      expect(result).to.equal(undefined);
      expect(stdout).to.match(
        /\[\d{2}:\d{2}:\d{2} WRN\] Write-KrTextResponse must be called inside a route script block where \$Context is available\.\n/,
      );
    });

    it('still rejects bad parameters', () => {
      expect(() => writeKrTextResponse({ inputObject: null })).to.throw(KrParameterBindingError, /because it is null/);
    });
  });
});
