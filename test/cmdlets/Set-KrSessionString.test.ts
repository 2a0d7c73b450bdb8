import { expect } from 'chai';
import { addKrMapRoute, getKrSessionString, KrCmdletError, setKrSessionString, writeKrJsonResponse } from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { MAX_SERIALIZED_SESSION_BYTES } from '../../src/runtime/session/session-format.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, sessionApp, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

type SetInput = NonNullable<Parameters<typeof setKrSessionString>[0]>;

/** The value bytes of the single entry `key` in a revision-2 blob, read by offset rather than by the parser under test. */
function onlyValueHex(blob: Buffer, key: string): string {
  expect(blob.readUIntBE(1, 3), 'entry count').to.equal(1);
  const keyLength = blob.readUInt16BE(20);
  expect(blob.toString('utf8', 22, 22 + keyLength)).to.equal(key);
  const valueLength = blob.readUInt32BE(22 + keyLength);
  expect(blob.length).to.equal(22 + keyLength + 4 + valueLength);
  return blob.subarray(26 + keyLength).toString('hex');
}

describe('Set-KrSessionString', () => {
  let cache: CountingCache;
  let app: SessionApp;
  let attempt: SetInput;

  beforeEach(() => {
    cache = new CountingCache(new MemoryDistributedCache());
    attempt = { key: 'user', value: 'max' };
    app = sessionApp({
      cache,
      routes: {
        '/attempt': async () => {
          try {
            await setKrSessionString(attempt);
            writeKrJsonResponse({ inputObject: { error: null, value: await getKrSessionString({ key: 'user' }) } });
          } catch (error) {
            const failure = error as KrCmdletError;
            writeKrJsonResponse({ inputObject: { error: failure.message, parameter: failure.parameter ?? null } });
          }
        },
        '/get': async () => {
          writeKrJsonResponse({ inputObject: { value: await getKrSessionString({ key: 'user' }) } });
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  for (const [value, hex] of [
    ['max', '6d6178'],
    ['Zoë', '5a6fc3ab'],
    ['€', 'e282ac'],
    ['🍕', 'f09f8d95'],
    ['\uFEFFx', 'efbbbf78'],
    ['\uD800', 'efbfbd'],
    ['a\uDC00b', '61efbfbd62'],
  ] as const) {
    it(`stores ${JSON.stringify(value)} as its UTF-8 bytes ${hex}, with no BOM and no length prefix`, async () => {
      attempt = { key: 'user', value };
      const jar = new CookieJar();
      await app.request('/attempt', { jar });
      expect(onlyValueHex((await storedSession(cache, jar)) as Buffer, 'user')).to.equal(hex);
    });
  }

  it('establishes the session with its cookie on the first write and replaces the value on later ones', async () => {
    const jar = new CookieJar();
    const first = await app.request('/attempt', { jar });
    expect(first.setCookies).to.have.length(1);
    expect(first.headers['cache-control']).to.equal('no-cache,no-store');
    attempt = { key: 'user', value: 'moritz' };
    const second = await app.request('/attempt', { jar });
    expect(second.setCookies).to.deep.equal([]);
    expect((await app.request('/get', { jar })).json()).to.deep.equal({ value: 'moritz' });
  });

  it('keeps keys that differ only in case apart', async () => {
    const jar = new CookieJar();
    attempt = { key: 'User', value: 'upper' };
    await app.request('/attempt', { jar });
    attempt = { key: 'user', value: 'lower' };
    await app.request('/attempt', { jar });
    expect((await app.request('/get', { jar })).json()).to.deep.equal({ value: 'lower' });
    expect(((await storedSession(cache, jar)) as Buffer).readUIntBE(1, 3)).to.equal(2);
  });

  it('stores a number as its text, as PowerShell binds it to [string]', async () => {
    attempt = { key: 'user', value: 42 as unknown as string };
    expect((await app.request('/attempt')).json()).to.deep.equal({ error: null, value: '42' });
  });

  for (const [input, parameter] of [
    [{ key: 'user', value: '' }, 'Value'],
    [{ key: 'user' }, 'Value'],
    [{ key: 'user', value: null }, 'Value'],
    [{ key: '', value: 'v' }, 'Key'],
    [{ value: 'v' }, 'Key'],
    [{ key: 'user', value: { name: 'max' } }, 'Value'],
  ] as const) {
    it(`refuses ${JSON.stringify(input)} as mandatory binding does, naming ${parameter}`, async () => {
      attempt = input as unknown as SetInput;
      const result = (await app.request('/attempt')).json<{ error: string; parameter: string }>();
      expect(result.error).to.match(/^Set-KrSessionString: /);
      expect(result.parameter).to.equal(parameter);
      expect(cache.count('set')).to.equal(0);
    });
  }

  it('refuses a value that would make the session larger than MAX_SERIALIZED_SESSION_BYTES, and stores nothing', async function () {
    this.timeout(20_000);
    attempt = { key: 'user', value: 'x'.repeat(MAX_SERIALIZED_SESSION_BYTES) };
    const response = await app.request('/attempt');
    const result = response.json<{ error: string; parameter: string }>();
    expect(result.error).to.match(/^Set-KrSessionString: Storing 'user' would make the session \d+ bytes, more than the limit of 16777216 bytes\.$/);
    expect(result.parameter).to.equal('Value');
    expect(response.setCookies).to.deep.equal([]);
    expect(cache.count('set')).to.equal(0);
  });

  it('warns and does nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => setKrSessionString({ key: 'user', value: 'max' }));
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Set-KrSessionString must be called inside a route script block where $Context is available.']);
  });

  it('warns and does nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/set',
        scriptBlock: async () => {
          await setKrSessionString({ key: 'user', value: 'max' });
        },
      });
    });
    try {
      const response = await fetchUrl(`${server.url}/set`);
      expect(response.status).to.equal(200);
      expect(response.setCookies).to.deep.equal([]);
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Set-KrSessionString: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });
});
