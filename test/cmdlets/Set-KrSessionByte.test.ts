import { expect } from 'chai';
import { addKrMapRoute, getKrSessionByte, KrCmdletError, setKrSessionByte, writeKrJsonResponse } from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { MAX_SERIALIZED_SESSION_BYTES } from '../../src/runtime/session/session-format.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, sessionApp, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

type SetInput = NonNullable<Parameters<typeof setKrSessionByte>[0]>;

describe('Set-KrSessionByte', () => {
  let cache: CountingCache;
  let app: SessionApp;
  /** What /attempt passes to the cmdlet; `afterSet` runs right after it, still inside the route. */
  let attempt: () => SetInput;
  let afterSet: (input: SetInput) => void;

  beforeEach(() => {
    cache = new CountingCache(new MemoryDistributedCache());
    attempt = () => ({ key: 'b', value: [1, 2, 3] });
    afterSet = () => {};
    app = sessionApp({
      cache,
      routes: {
        '/attempt': async () => {
          const input = attempt();
          try {
            await setKrSessionByte(input);
            afterSet(input);
            const read = await getKrSessionByte({ key: 'b' });
            writeKrJsonResponse({ inputObject: { error: null, hex: read?.toString('hex') ?? null } });
          } catch (error) {
            const failure = error as KrCmdletError;
            writeKrJsonResponse({ inputObject: { error: failure.message, parameter: failure.parameter ?? null } });
          }
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  /** The stored value bytes of the single entry 'b', read by offset from the blob. */
  async function storedHex(jar: CookieJar): Promise<string> {
    const blob = (await storedSession(cache, jar)) as Buffer;
    expect(blob.readUIntBE(1, 3)).to.equal(1);
    expect(blob.subarray(20, 23).toString('hex')).to.equal('000162');
    return blob.subarray(27, 27 + blob.readUInt32BE(23)).toString('hex');
  }

  for (const [kind, make] of [
    ['a Buffer', () => Buffer.from([0, 127, 128, 255])],
    ['a Uint8Array', () => new Uint8Array([0, 127, 128, 255])],
    ['an array of integers', () => [0, 127, 128, 255]],
  ] as const) {
    it(`stores ${kind} byte for byte`, async () => {
      attempt = () => ({ key: 'b', value: make() });
      const jar = new CookieJar();
      expect((await app.request('/attempt', { jar })).json()).to.deep.equal({ error: null, hex: '007f80ff' });
      expect(await storedHex(jar)).to.equal('007f80ff');
    });
  }

  it('stores every byte value unchanged', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    attempt = () => ({ key: 'b', value: all });
    const jar = new CookieJar();
    await app.request('/attempt', { jar });
    expect(await storedHex(jar)).to.equal(all.toString('hex'));
  });

  it('stores a copy: changing the caller\'s buffer afterwards changes neither the session nor what is stored', async () => {
    attempt = () => ({ key: 'b', value: Buffer.from([1, 2, 3]) });
    afterSet = (input) => (input.value as Buffer).fill(9);
    const jar = new CookieJar();
    expect((await app.request('/attempt', { jar })).json()).to.deep.equal({ error: null, hex: '010203' });
    expect(await storedHex(jar)).to.equal('010203');
  });

  it('establishes the session with its cookie on the first write only', async () => {
    const jar = new CookieJar();
    const first = await app.request('/attempt', { jar });
    expect(first.setCookies).to.have.length(1);
    expect(first.headers).to.include({ 'cache-control': 'no-cache,no-store', pragma: 'no-cache', expires: '-1' });
    expect((await app.request('/attempt', { jar })).setCookies).to.deep.equal([]);
  });

  for (const [name, value] of [
    ['an empty array', []],
    ['an empty Buffer', Buffer.alloc(0)],
    ['a number above 255', [1, 256]],
    ['a negative number', [-1]],
    ['a fraction', [1.5]],
    ['a string', 'bytes'],
    ['null', null],
  ] as const) {
    it(`refuses ${name}, naming the cmdlet and Value, and stores nothing`, async () => {
      attempt = () => ({ key: 'b', value: value as unknown as Uint8Array });
      const response = await app.request('/attempt');
      const result = response.json<{ error: string; parameter: string }>();
      expect(result.error).to.match(/^Set-KrSessionByte: /);
      expect(result.parameter).to.equal('Value');
      expect(response.setCookies).to.deep.equal([]);
      expect(cache.count('set')).to.equal(0);
    });
  }

  it('refuses a value that would make the session larger than MAX_SERIALIZED_SESSION_BYTES, and stores nothing', async function () {
    this.timeout(20_000);
    // 20 header bytes + 2 + 'b' + 4 + value: one byte over the limit.
    attempt = () => ({ key: 'b', value: Buffer.alloc(MAX_SERIALIZED_SESSION_BYTES - 26) });
    const result = (await app.request('/attempt')).json<{ error: string; parameter: string }>();
    expect(result).to.deep.equal({
      error: `Set-KrSessionByte: Storing 'b' would make the session ${MAX_SERIALIZED_SESSION_BYTES + 1} bytes, more than the limit of ${MAX_SERIALIZED_SESSION_BYTES} bytes.`,
      parameter: 'Value',
    });
    expect(cache.count('set')).to.equal(0);
  });

  it('refuses a missing or empty key', async () => {
    for (const input of [{ value: [1] }, { key: '', value: [1] }]) {
      attempt = () => input as SetInput;
      const result = (await app.request('/attempt')).json<{ error: string; parameter: string }>();
      expect(result.error).to.match(/^Set-KrSessionByte: /);
      expect(result.parameter).to.equal('Key');
    }
  });

  it('warns and does nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => setKrSessionByte({ key: 'b', value: [1] }));
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Set-KrSessionByte must be called inside a route script block where $Context is available.']);
  });

  it('warns and does nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/set',
        scriptBlock: async () => {
          await setKrSessionByte({ key: 'b', value: [1] });
        },
      });
    });
    try {
      const response = await fetchUrl(`${server.url}/set`);
      expect(response.status).to.equal(200);
      expect(response.setCookies).to.deep.equal([]);
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Set-KrSessionByte: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });
});
