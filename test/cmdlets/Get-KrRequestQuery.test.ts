import { expect } from 'chai';
import { addKrMapRoute, getKrRequestQuery, KrCmdletError, KrParameterBindingError, writeKrJsonResponse } from '../../src/index.ts';
import { captureOutput } from '../support/cmdlet-helpers.ts';
import { fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

/** What one call of the cmdlet inside the route gave: its value and type, or the error it threw. */
interface Outcome {
  readonly type: string;
  readonly value: unknown;
  readonly error?: string;
  readonly errorIsCmdletError?: boolean;
}

describe('Get-KrRequestQuery (getKrRequestQuery)', () => {
  let server: InProcessServer;
  /** The call under test; the /probe route runs it inside a real request. */
  let probe: () => unknown = () => undefined;

  before(async () => {
    server = await startInProcess(() => {
      addKrMapRoute({
        path: '/probe',
        scriptBlock: () => {
          let outcome: Outcome;
          try {
            const value = probe();
            outcome = { type: typeof value, value: value ?? null };
          } catch (error) {
            outcome = { type: 'error', value: null, error: (error as Error).message, errorIsCmdletError: error instanceof KrCmdletError };
          }
          writeKrJsonResponse({ inputObject: outcome });
        },
      });
      addKrMapRoute({
        path: '/required',
        scriptBlock: () => {
          const id = getKrRequestQuery({ name: 'id', throwIfMissing: true });
          writeKrJsonResponse({ inputObject: { id } });
        },
      });
    });
  });

  after(async () => {
    await server.stop();
  });

  async function query(search: string, read: () => unknown): Promise<Outcome> {
    probe = read;
    const response = await fetchUrl(`${server.url}/probe${search}`);
    expect(response.status).to.equal(200);
    return response.json<Outcome>();
  }

  describe('without a conversion', () => {
    it('returns the value as a string', async () => {
      expect(await query('?name=Bob', () => getKrRequestQuery({ name: 'name' }))).to.deep.equal({ type: 'string', value: 'Bob' });
    });

    it('returns undefined for a missing key, without error', async () => {
      expect(await query('?other=1', () => getKrRequestQuery({ name: 'name' }))).to.deep.equal({ type: 'undefined', value: null });
      expect(await query('', () => getKrRequestQuery({ name: 'name' }))).to.deep.equal({ type: 'undefined', value: null });
    });

    it('joins a repeated key with commas', async () => {
      expect((await query('?tag=a&tag=b&tag=c', () => getKrRequestQuery({ name: 'tag' }))).value).to.equal('a,b,c');
    });

    it("gives '' for ?k= and for a bare ?k", async () => {
      expect((await query('?k=', () => getKrRequestQuery({ name: 'k' }))).value).to.equal('');
      expect((await query('?k', () => getKrRequestQuery({ name: 'k' }))).value).to.equal('');
    });

    it("URL-decodes values, '+' included", async () => {
      expect((await query('?q=a+b%26c%20d%C3%A9', () => getKrRequestQuery({ name: 'q' }))).value).to.equal('a b&c dé');
    });

    it('URL-decodes names', async () => {
      expect((await query('?first%20name=Ann', () => getKrRequestQuery({ name: 'first name' }))).value).to.equal('Ann');
    });

    it("looks names up case-sensitively, as Kestrun's dictionary does", async () => {
      expect((await query('?User=x', () => getKrRequestQuery({ name: 'user' }))).value).to.equal(null);
      expect((await query('?User=x', () => getKrRequestQuery({ name: 'User' }))).value).to.equal('x');
    });

    it('does not take names from the object prototype', async () => {
      expect((await query('?a=1', () => getKrRequestQuery({ name: 'constructor' }))).type).to.equal('undefined');
    });
  });

  describe('asInt', () => {
    for (const [raw, expected] of [
      ['42', 42],
      ['-7', -7],
      [' 8 ', 8],
      ['1.5', 2],
      ['2.5', 2],
      ['3.5', 4],
    ] as const) {
      it(`casts ${JSON.stringify(raw)} to ${expected} (PowerShell [int]: half to even)`, async () => {
        const outcome = await query(`?n=${encodeURIComponent(raw)}`, () => getKrRequestQuery({ name: 'n', asInt: true }));
        expect(outcome).to.deep.equal({ type: 'number', value: expected });
      });
    }

    it("gives 0 for a missing key and for ''", async () => {
      expect((await query('', () => getKrRequestQuery({ name: 'n', asInt: true }))).value).to.equal(0);
      expect((await query('?n=', () => getKrRequestQuery({ name: 'n', asInt: true }))).value).to.equal(0);
    });

    it('throws a conversion error for text', async () => {
      const outcome = await query('?n=abc', () => getKrRequestQuery({ name: 'n', asInt: true }));
      expect(outcome.error).to.equal(
        'Get-KrRequestQuery: Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."',
      );
      expect(outcome.errorIsCmdletError).to.equal(true);
    });

    it('throws for a value beyond Int32', async () => {
      const outcome = await query('?n=99999999999', () => getKrRequestQuery({ name: 'n', asInt: true }));
      expect(outcome.error).to.equal(
        'Get-KrRequestQuery: Cannot convert value "99999999999" to type "System.Int32". Error: "Value was either too large or too small for an Int32."',
      );
    });
  });

  describe('asBool', () => {
    for (const [search, expected] of [
      ['?b=true', true],
      ['?b=false', true],
      ['?b=0', true],
      ['?b=no', true],
      ['?b=', false],
      ['', false],
    ] as const) {
      it(`${search || '(no query)'} → ${expected} (PowerShell [bool]: any non-empty string is true)`, async () => {
        expect(await query(search, () => getKrRequestQuery({ name: 'b', asBool: true }))).to.deep.equal({ type: 'boolean', value: expected });
      });
    }

    it("takes Kestrun's alias asBoolean", async () => {
      expect((await query('?b=x', () => getKrRequestQuery({ name: 'b', asBoolean: true }))).value).to.equal(true);
    });
  });

  describe('asDouble', () => {
    it('parses invariantly', async () => {
      expect(await query('?d=1.25', () => getKrRequestQuery({ name: 'd', asDouble: true }))).to.deep.equal({ type: 'number', value: 1.25 });
      expect((await query('?d=-3e2', () => getKrRequestQuery({ name: 'd', asDouble: true }))).value).to.equal(-300);
    });

    it("gives 0 for a missing key and for ''", async () => {
      expect((await query('', () => getKrRequestQuery({ name: 'd', asDouble: true }))).value).to.equal(0);
      expect((await query('?d=', () => getKrRequestQuery({ name: 'd', asDouble: true }))).value).to.equal(0);
    });

    it('throws a conversion error for text, including a comma decimal', async () => {
      expect((await query('?d=abc', () => getKrRequestQuery({ name: 'd', asDouble: true }))).error).to.equal(
        'Get-KrRequestQuery: Cannot convert value "abc" to type "System.Double". Error: "Input string was not in a correct format."',
      );
      expect((await query('?d=1%2C5', () => getKrRequestQuery({ name: 'd', asDouble: true }))).error).to.match(/"System\.Double"/);
    });
  });

  describe('asString', () => {
    it('returns the value', async () => {
      expect(await query('?s=v', () => getKrRequestQuery({ name: 's', asString: true }))).to.deep.equal({ type: 'string', value: 'v' });
    });

    it("throws for a missing key, as .ToString() on $null does in Kestrun", async () => {
      expect((await query('', () => getKrRequestQuery({ name: 's', asString: true }))).error).to.equal(
        'Get-KrRequestQuery: You cannot call a method on a null-valued expression.',
      );
    });
  });

  describe('throwIfMissing', () => {
    it('throws for a missing key, naming it', async () => {
      const outcome = await query('?other=1', () => getKrRequestQuery({ name: 'id', throwIfMissing: true }));
      expect(outcome.error).to.equal('Get-KrRequestQuery: Missing required query parameter: id');
      expect(outcome.errorIsCmdletError).to.equal(true);
    });

    it('checks the name case-sensitively', async () => {
      expect((await query('?ID=1', () => getKrRequestQuery({ name: 'id', throwIfMissing: true }))).error).to.equal(
        'Get-KrRequestQuery: Missing required query parameter: id',
      );
    });

    it("does not throw for a present but empty value", async () => {
      expect((await query('?id=', () => getKrRequestQuery({ name: 'id', throwIfMissing: true }))).value).to.equal('');
    });

    it('combines with a conversion', async () => {
      expect((await query('?id=7', () => getKrRequestQuery({ name: 'id', asInt: true, throwIfMissing: true }))).value).to.equal(7);
      expect((await query('', () => getKrRequestQuery({ name: 'id', asInt: true, throwIfMissing: true }))).error).to.equal(
        'Get-KrRequestQuery: Missing required query parameter: id',
      );
    });

    it('uncaught in a route, gives 500 JSON and logs the error', async () => {
      server.logger.events.length = 0;
      const response = await fetchUrl(`${server.url}/required`);
      expect(response.status).to.equal(500);
      expect(response.json()).to.include({ error: 'An internal server error occurred.', status: 500 });
      expect(response.body).not.to.contain('Missing required query parameter');
      const logged = server.logger.events.find((event) => event.level === 'Error');
      expect((logged?.error as Error | undefined)?.message).to.equal('Get-KrRequestQuery: Missing required query parameter: id');
      expect((await fetchUrl(`${server.url}/required?id=5`)).json()).to.deep.equal({ id: '5' });
    });
  });

  describe('bad input', () => {
    it('rejects two conversions at once (they are separate parameter sets)', async () => {
      expect((await query('?n=1', () => getKrRequestQuery({ name: 'n', asInt: true, asBool: true }))).error).to.equal(
        'Get-KrRequestQuery: Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.',
      );
    });

    it('requires a non-empty name', () => {
      expect(() => getKrRequestQuery({} as { name: string })).to.throw(
        KrParameterBindingError,
        'Get-KrRequestQuery: Cannot process command because of one or more missing mandatory parameters: Name.',
      );
      expect(() => getKrRequestQuery({ name: '' })).to.throw(
        KrParameterBindingError,
        "Get-KrRequestQuery: Cannot bind argument to parameter 'Name' because it is an empty string.",
      );
    });

    it('rejects a switch given as text', () => {
      expect(() => getKrRequestQuery({ name: 'n', asInt: 'true' as unknown as true })).to.throw(KrParameterBindingError, /parameter 'AsInt'/);
    });

    it('rejects an unknown parameter, naming it', () => {
      expect(() => getKrRequestQuery({ name: 'n', default: '1' } as { name: string })).to.throw(
        KrParameterBindingError,
        "Get-KrRequestQuery: A parameter cannot be found that matches parameter name 'default'.",
      );
    });
  });

  describe('outside a route', () => {
    it("returns undefined and logs Kestrun's warning, even with throwIfMissing", async () => {
      const { result, stdout } = await captureOutput(() => [
        getKrRequestQuery({ name: 'id' }),
        getKrRequestQuery({ name: 'id', asInt: true, throwIfMissing: true }),
      ]);
      expect(result).to.deep.equal([undefined, undefined]);
      expect(stdout).to.contain('Get-KrRequestQuery must be called inside a route script block where $Context is available.');
      expect(stdout).to.match(/\[\d{2}:\d{2}:\d{2} WRN\] Get-KrRequestQuery must be called inside a route/);
    });

    it('still rejects bad parameters', () => {
      expect(() => getKrRequestQuery({ name: 'id', bogus: 1 } as { name: string })).to.throw(KrParameterBindingError);
    });
  });
});
