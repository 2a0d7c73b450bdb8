import { expect } from 'chai';
import { addKrMapRoute, getKrRequestQuery, getKrSessionInt32, KrCmdletError, setKrSessionInt32, writeKrJsonResponse } from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { MAX_KEY_UTF8_LENGTH } from '../../src/runtime/session/session-format.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, SESSION_COOKIE, sessionApp, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

type SetInput = NonNullable<Parameters<typeof setKrSessionInt32>[0]>;

/** The blob of a session holding one entry, as ASP.NET Core writes it (the 16-byte id is taken from the blob). */
function oneEntryBlob(blob: Buffer, key: string, valueHex: string): string {
  const keyBytes = Buffer.from(key, 'utf8');
  const keyLength = Buffer.alloc(2);
  keyLength.writeUInt16BE(keyBytes.length);
  return Buffer.concat([Buffer.from('02000001', 'hex'), blob.subarray(4, 20), keyLength, keyBytes, Buffer.from('00000004', 'hex'), Buffer.from(valueHex, 'hex')]).toString('hex');
}

describe('Set-KrSessionInt32', () => {
  let cache: CountingCache;
  let app: SessionApp;
  /** What the next /attempt runs: set by each test, so one app serves all of them. */
  let attempt: SetInput;

  beforeEach(() => {
    cache = new CountingCache(new MemoryDistributedCache());
    attempt = { key: 'n', value: 1 };
    app = sessionApp({
      cache,
      routes: {
        '/set': async () => {
          await setKrSessionInt32({ key: getKrRequestQuery({ name: 'key' }) ?? 'n', value: Number(getKrRequestQuery({ name: 'value' })) });
        },
        '/get': async () => {
          writeKrJsonResponse({ inputObject: { value: await getKrSessionInt32({ key: getKrRequestQuery({ name: 'key' }) ?? 'n' }) } });
        },
        '/attempt': async () => {
          try {
            await setKrSessionInt32(attempt);
            writeKrJsonResponse({ inputObject: { error: null, value: await getKrSessionInt32({ key: 'n' }) } });
          } catch (error) {
            const failure = error as KrCmdletError;
            writeKrJsonResponse({ inputObject: { error: failure.message, parameter: failure.parameter ?? null } });
          }
        },
        '/uncaught': async () => {
          await setKrSessionInt32({ key: 'k'.repeat(MAX_KEY_UTF8_LENGTH + 1), value: 1 });
        },
        '/twice': async () => {
          await setKrSessionInt32({ key: 'n', value: 1 });
          await setKrSessionInt32({ key: 'n', value: 2 });
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  for (const [value, hex] of [
    [1, '00000001'],
    [-1, 'ffffffff'],
    [10, '0000000a'],
    [0x12345678, '12345678'],
    [-2147483648, '80000000'],
    [2147483647, '7fffffff'],
  ] as const) {
    it(`stores ${value} as exactly the 4 big-endian bytes ${hex}`, async () => {
      const jar = new CookieJar();
      await app.request(`/set?key=n&value=${value}`, { jar });
      const blob = (await storedSession(cache, jar)) as Buffer;
      expect(blob.toString('hex')).to.equal(oneEntryBlob(blob, 'n', hex));
    });
  }

  it('establishes a new session: one Set-Cookie with the no-cache headers on the first write only', async () => {
    const jar = new CookieJar();
    const first = await app.request('/set?value=1', { jar });
    expect(first.setCookies).to.have.length(1);
    expect(first.setCookies[0]).to.match(/^\.AspNetCore\.Session=/);
    expect(first.headers).to.include({ 'cache-control': 'no-cache,no-store', pragma: 'no-cache', expires: '-1' });
    const second = await app.request('/set?value=2', { jar });
    expect(second.setCookies).to.deep.equal([]);
    expect((await app.request('/get', { jar })).json()).to.deep.equal({ value: 2 });
  });

  it('overwrites a value: the last write of a request is the one stored, once', async () => {
    const jar = new CookieJar();
    await app.request('/twice', { jar });
    const blob = (await storedSession(cache, jar)) as Buffer;
    expect(blob.toString('hex')).to.equal(oneEntryBlob(blob, 'n', '00000002'));
    expect(cache.count('set')).to.equal(1);
  });

  it('keeps keys that differ only in case apart', async () => {
    const jar = new CookieJar();
    await app.request('/set?key=a&value=1', { jar });
    await app.request('/set?key=A&value=2', { jar });
    expect((await app.request('/get?key=a', { jar })).json()).to.deep.equal({ value: 1 });
    expect((await app.request('/get?key=A', { jar })).json()).to.deep.equal({ value: 2 });
  });

  for (const [given, stored] of [
    ['5', 5],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [true, 1],
  ] as const) {
    it(`converts ${JSON.stringify(given)} to ${stored} as PowerShell's [int] does`, async () => {
      attempt = { key: 'n', value: given as number };
      expect((await app.request('/attempt')).json()).to.deep.equal({ error: null, value: stored });
    });
  }

  for (const value of [2147483648, -2147483649, 'five', Number.NaN, null]) {
    it(`refuses ${String(value)} with an error naming the cmdlet and Value, and stores nothing`, async () => {
      attempt = { key: 'n', value: value as number };
      const result = (await app.request('/attempt')).json<{ error: string; parameter: string }>();
      expect(result.error).to.match(/^Set-KrSessionInt32: /);
      expect(result.parameter).to.equal('Value');
      expect(cache.count('set')).to.equal(0);
    });
  }

  it('refuses a missing or empty key', async () => {
    for (const input of [{ value: 1 }, { key: '', value: 1 }]) {
      attempt = input as SetInput;
      const result = (await app.request('/attempt')).json<{ error: string; parameter: string }>();
      expect(result.error, JSON.stringify(input)).to.match(/^Set-KrSessionInt32: /);
      expect(result.parameter).to.equal('Key');
    }
  });

  it('refuses a key over 65,535 UTF-8 bytes, naming the cmdlet, without storing or establishing anything', async () => {
    attempt = { key: 'k'.repeat(MAX_KEY_UTF8_LENGTH + 1), value: 1 };
    const response = await app.request('/attempt');
    expect(response.json()).to.deep.equal({
      error: "Set-KrSessionInt32: The key cannot be longer than '65535' when encoded with UTF-8.",
      parameter: 'Key',
    });
    expect(response.setCookies).to.deep.equal([]);
    expect(cache.count()).to.equal(0);
  });

  it('accepts a key of exactly 65,535 UTF-8 bytes', async () => {
    attempt = { key: 'k'.repeat(MAX_KEY_UTF8_LENGTH), value: 9 };
    expect((await app.request('/attempt')).json()).to.include({ error: null });
    expect(cache.count('set')).to.equal(1);
  });

  it('fails the request with a 500 when the route does not catch a refused write, and commits nothing', async () => {
    const response = await app.request('/uncaught');
    expect(response.status).to.equal(500);
    expect(cache.count('set')).to.equal(0);
    expect(app.logger.messages('Error').some((message) => message.includes('failed while serving GET /uncaught'))).to.equal(true);
  });

  it('warns and does nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => setKrSessionInt32({ key: 'n', value: 1 }));
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Set-KrSessionInt32 must be called inside a route script block where $Context is available.']);
  });

  it('warns and does nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/set',
        scriptBlock: async () => {
          await setKrSessionInt32({ key: 'n', value: 1 });
        },
      });
    });
    try {
      const response = await fetchUrl(`${server.url}/set`);
      expect(response.status).to.equal(200);
      expect(response.setCookies).to.deep.equal([]);
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Set-KrSessionInt32: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });

  it('writes under the cookie name the session was configured with', async () => {
    const named = sessionApp({
      cache,
      session: { cookie: { ...app.engine.cookie, name: 'Kr.Session' } },
      routes: { '/set': async () => setKrSessionInt32({ key: 'n', value: 3 }) },
    });
    const jar = new CookieJar();
    const response = await named.request('/set', { jar });
    expect(response.setCookies[0]).to.match(/^Kr\.Session=/);
    expect(jar.get(SESSION_COOKIE)).to.equal(undefined);
    expect(((await storedSession(cache, jar, 'Kr.Session')) as Buffer).subarray(-4).toString('hex')).to.equal('00000003');
  });
});
