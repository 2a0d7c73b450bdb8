import { expect } from 'chai';
import {
  addKrMapRoute,
  addKrSession,
  clearKrSession,
  getKrRequestQuery,
  getKrSessionByte,
  getKrSessionInt32,
  getKrSessionString,
  newKrCookieBuilder,
  removeKrSession,
  setKrSessionByte,
  setKrSessionInt32,
  setKrSessionString,
  writeKrJsonResponse,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { KrCmdletError } from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { explicitProtector, KEY_RING_NAME, newStoredKeyRing } from '../../src/runtime/session/key-ring.ts';
import { MAX_KEY_UTF8_LENGTH, MAX_SERIALIZED_SESSION_BYTES } from '../../src/runtime/session/session-format.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';
import { CountingCache, sessionApp, sessionKeyOf, setCookieValue } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

const COOKIE = '.AspNetCore.Session';
/** `<36-char session key>.<8 hex key id>.<43 base64url characters of HMAC-SHA256>` */
const COOKIE_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{8}\.[A-Za-z0-9_-]{43}$/;
const UNPROTECT_WARNING = 'Error unprotecting the session cookie';

/** Routes most tests share: read, write, both, and one that never touches the session. */
const routes = {
  '/read': async () => {
    writeKrJsonResponse({ inputObject: { n: await getKrSessionInt32({ key: 'n' }), s: await getKrSessionString({ key: 's' }) } });
  },
  '/write': async () => {
    await setKrSessionInt32({ key: 'n', value: Number(getKrRequestQuery({ name: 'n' }) ?? '1') });
    writeKrTextResponse({ inputObject: 'written' });
  },
  '/increment': async () => {
    const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
    await setKrSessionInt32({ key: 'n', value: n + 1 });
    writeKrJsonResponse({ inputObject: { n: n + 1 } });
  },
  '/parallel': async () => {
    // Two reads started before either is awaited: the second waits for the load the first one started. Each
    // outcome is reported on its own, a failure by its error's name.
    const outcome = <T>(read: Promise<T>): Promise<T | string> => read.catch((error: unknown) => (error as Error).name);
    const [n, s] = await Promise.all([outcome(getKrSessionInt32({ key: 'n' })), outcome(getKrSessionString({ key: 's' }))]);
    writeKrJsonResponse({ inputObject: { n, s } });
  },
  '/unawaited-write': () => {
    // The route returns before its write has even loaded the session; the commit must still carry it.
    setKrSessionInt32({ key: 'n', value: 42 }).catch(() => undefined);
    writeKrTextResponse({ inputObject: 'queued' });
  },
  '/untouched': () => {
    writeKrTextResponse({ inputObject: 'no session here' });
  },
  '/many': async () => {
    // Several cmdlets in one request: the whole session is still loaded once and written once.
    const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
    await getKrSessionString({ key: 's' });
    await getKrSessionByte({ key: 'b' });
    await setKrSessionInt32({ key: 'n', value: n + 1 });
    await setKrSessionString({ key: 's', value: 'text' });
    await setKrSessionByte({ key: 'b', value: [1, 2, 3] });
    await removeKrSession({ key: 'missing' });
    writeKrJsonResponse({ inputObject: { n: n + 1 } });
  },
  '/remove-missing': async () => {
    await removeKrSession({ key: 'missing' });
    writeKrTextResponse({ inputObject: 'removed' });
  },
  '/clear': async () => {
    await clearKrSession();
    writeKrTextResponse({ inputObject: 'cleared' });
  },
};

function newApp(cache: CountingCache, session: Parameters<typeof sessionApp>[0]['session'] = {}): SessionApp {
  return sessionApp({ cache, routes, session });
}

/** Resolves after `ms`: only for tests whose behaviour is the passing of time itself (idle expiry). */
function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('SessionEngine', () => {
  let cache: CountingCache;
  let app: SessionApp;
  let jar: CookieJar;

  beforeEach(async () => {
    cache = new CountingCache(new MemoryDistributedCache());
    app = newApp(cache);
    jar = new CookieJar();
  });

  afterEach(async () => {
    await cache.close();
  });

  /** Establishes a session holding n = 1 and forgets the calls that took. */
  async function establish(): Promise<string> {
    const response = await app.request('/write?n=1', { jar });
    expect(response.status).to.equal(200);
    const value = jar.get(COOKIE);
    expect(value, 'the establishing response sets the cookie').to.be.a('string');
    cache.reset();
    return value as string;
  }

  describe('lazy load and commit', () => {
    it('does no store I/O at all for a route that never touches the session, even with a valid cookie', async () => {
      await establish();
      const response = await app.request('/untouched', { jar });
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('no session here');
      expect(cache.calls).to.deep.equal([]);
    });

    it('does one load and no write for a read-only route; the load slides the expiry by IdleTimeout', async () => {
      const value = await establish();
      const response = await app.request('/read', { jar });
      expect(response.json()).to.deep.equal({ n: 1, s: null });
      expect(cache.calls).to.deep.equal([{ operation: 'get', key: sessionKeyOf(value) }]);
      // The read is the refresh: the engine tells the store which sliding window to apply.
      expect(app.engine.getOptions).to.deep.equal({ expectedSlidingMs: 20 * 60_000 });
      expect(response.setCookies).to.deep.equal([]);
    });

    it('loads once and writes once however many session cmdlets a request runs', async () => {
      const value = await establish();
      const response = await app.request('/many', { jar });
      expect(response.json()).to.deep.equal({ n: 2 });
      expect(cache.calls).to.deep.equal([
        { operation: 'get', key: sessionKeyOf(value) },
        { operation: 'set', key: sessionKeyOf(value) },
      ]);
    });

    it('lets a route start several reads before awaiting any: one load, and each read sees the loaded session', async () => {
      const value = await establish();
      await app.request('/many', { jar });
      cache.reset();
      const response = await app.request('/parallel', { jar });
      expect(response.json()).to.deep.equal({ n: 2, s: 'text' });
      expect(cache.calls).to.deep.equal([{ operation: 'get', key: sessionKeyOf(value) }]);
    });

    it('commits a write the route never awaited, once the load it started is done', async () => {
      const value = await establish();
      cache.latencyMs = 20;
      const response = await app.request('/unawaited-write', { jar });
      expect(response.body).to.equal('queued');
      expect(cache.calls).to.deep.equal([
        { operation: 'get', key: sessionKeyOf(value) },
        { operation: 'set', key: sessionKeyOf(value) },
      ]);
      cache.latencyMs = 0;
      expect((await app.request('/read', { jar })).json()).to.deep.equal({ n: 42, s: null });
    });

    it('writes a brand-new session without reading it first', async () => {
      const response = await app.request('/write?n=5', { jar });
      expect(response.status).to.equal(200);
      expect(cache.count('get', 'refresh')).to.equal(0);
      expect(cache.count('set')).to.equal(1);
      // A session key that was just made up cannot have data: reading it would be a wasted round trip.
      expect(cache.calls.find((call) => call.operation === 'set')?.key).to.equal(sessionKeyOf(jar.get(COOKIE)));
    });

    it('writes nothing when a request removes a missing key or clears an empty session', async () => {
      await establish();
      await app.request('/remove-missing', { jar });
      expect(cache.count('set')).to.equal(0);
      expect(cache.count('get')).to.equal(1);
    });

    it('does no store I/O for reads, removes and clears of a session that has no cookie yet', async () => {
      for (const path of ['/read', '/remove-missing', '/clear']) {
        const response = await app.request(path, { jar });
        expect(response.status, path).to.equal(200);
        expect(response.setCookies, path).to.deep.equal([]);
      }
      expect(cache.calls).to.deep.equal([]);
      expect(jar.header()).to.equal(undefined);
    });
  });

  describe('the session cookie', () => {
    it('is set on the establishing response with the no-cache headers, in ASP.NET Core form', async () => {
      const response = await app.request('/write?n=1', { jar });
      expect(response.setCookies).to.have.length(1);
      const header = response.setCookies[0] as string;
      expect(header).to.match(new RegExp(`^\\.AspNetCore\\.Session=[^;]+; path=/; samesite=lax; httponly$`));
      expect(response.headers['cache-control']).to.equal('no-cache,no-store');
      expect(response.headers['pragma']).to.equal('no-cache');
      expect(response.headers['expires']).to.equal('-1');
    });

    it('is never sent again for an existing session, not even when the session is written', async () => {
      await establish();
      for (const path of ['/increment', '/read', '/many', '/clear', '/write?n=9']) {
        const response = await app.request(path, { jar });
        expect(response.status, path).to.equal(200);
        expect(response.setCookies, path).to.deep.equal([]);
        expect(response.headers['cache-control'], path).to.equal(undefined);
        expect(response.headers['pragma'], path).to.equal(undefined);
        expect(response.headers['expires'], path).to.equal(undefined);
      }
    });

    it('carries only the signed session key, never session data', async () => {
      const secretApp = sessionApp({
        cache,
        routes: {
          '/store': async () => {
            await setKrSessionString({ key: 'secret', value: 'correct horse battery staple' });
          },
        },
      });
      const response = await secretApp.request('/store', { jar });
      const value = setCookieValue(response.setCookies, COOKIE) as string;
      expect(value).to.match(COOKIE_VALUE);
      expect(value).to.not.include('correct');
      expect(value).to.not.include(Buffer.from('correct horse').toString('base64url').slice(0, 12));
    });

    it('uses session keys of 128 random bits: 36-character GUIDs with no fixed version nibble', async () => {
      const keys = new Set<string>();
      const versionNibbles = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const response = await app.request('/write?n=1');
        const key = sessionKeyOf(setCookieValue(response.setCookies, COOKIE));
        expect(key).to.have.length(36);
        keys.add(key);
        versionNibbles.add(key.charAt(14));
      }
      expect(keys.size).to.equal(40);
      // crypto.randomUUID() would pin this nibble to 4 and leave only 122 random bits.
      expect(versionNibbles.size).to.be.greaterThan(1);
    });

    it('finds the cookie whatever the case of its name, as ASP.NET Core does', async () => {
      const value = await establish();
      const response = await app.request('/read', { headers: { cookie: `.aspnetcore.SESSION=${value}` } });
      expect(response.json()).to.deep.equal({ n: 1, s: null });
    });

    it('uses the last of several cookies with the session name', async () => {
      const value = await establish();
      const response = await app.request('/read', { headers: { cookie: `${COOKIE}=garbage; ${COOKIE}=${value}` } });
      expect(response.json()).to.deep.equal({ n: 1, s: null });
    });
  });

  describe('the stored value', () => {
    it('is ASP.NET Core DistributedSession revision 2, byte for byte', async () => {
      const writer = sessionApp({
        cache,
        routes: {
          '/store': async () => {
            await setKrSessionInt32({ key: 'Key', value: 10 });
            await setKrSessionString({ key: 'name', value: 'Zoë' });
          },
        },
      });
      await writer.request('/store', { jar });
      const blob = (await cache.inner.get(sessionKeyOf(jar.get(COOKIE)))) as Buffer;
      expect(blob).to.be.instanceOf(Buffer);
      const id = blob.subarray(4, 20);
      const expected = Buffer.concat([
        Buffer.from('02000002', 'hex'),
        id,
        Buffer.from('00034b6579000000040000000a00046e616d65000000045a6fc3ab', 'hex'),
      ]);
      expect(blob.toString('hex')).to.equal(expected.toString('hex'));
      expect(blob).to.have.length(47);
    });

    it('keeps the session id of the blob across later commits', async () => {
      await app.request('/write?n=1', { jar });
      const key = sessionKeyOf(jar.get(COOKIE));
      const before = ((await cache.inner.get(key)) as Buffer).subarray(4, 20).toString('hex');
      await app.request('/increment', { jar });
      const after = (await cache.inner.get(key)) as Buffer;
      expect(after.subarray(4, 20).toString('hex')).to.equal(before);
      expect(after.readInt32BE(after.length - 4)).to.equal(2);
    });

    it('reads a session a .NET application wrote into the shared store', async () => {
      // With explicit protection keys the test can mint the cookie for a session key of its choosing.
      const dotnet = sessionApp({ cache, routes, session: { protectionKeys: ['interop secret'] } });
      const sessionKey = '382c74c3-721d-4f34-80e5-57657b6cbc27';
      const blob = Buffer.from('02000002000102030405060708090a0b0c0d0e0f00016e000000040000002a000173000000045a6fc3ab', 'hex');
      await cache.inner.set(sessionKey, blob, { slidingExpirationMs: 60_000 });
      const cookie = `${COOKIE}=${explicitProtector(['interop secret']).protect(sessionKey)}`;
      const response = await dotnet.request('/read', { headers: { cookie } });
      expect(response.json()).to.deep.equal({ n: 42, s: 'Zoë' });
    });

    it('replaces a blob of an unknown revision with an empty session, as ASP.NET Core does', async () => {
      const reader = sessionApp({ cache, routes, session: { protectionKeys: ['k'] } });
      const sessionKey = '00000000-0000-0000-0000-000000000001';
      await cache.inner.set(sessionKey, Buffer.from('03000001', 'hex'), { slidingExpirationMs: 60_000 });
      const cookie = `${COOKIE}=${explicitProtector(['k']).protect(sessionKey)}`;
      const response = await reader.request('/read', { headers: { cookie } });
      expect(response.json()).to.deep.equal({ n: null, s: null });
      const stored = (await cache.inner.get(sessionKey)) as Buffer;
      expect(stored).to.have.length(20);
      expect(stored.subarray(0, 4).toString('hex')).to.equal('02000000');
    });

    it('replaces a truncated blob with an empty session instead of failing every request of that client', async () => {
      const reader = sessionApp({ cache, routes, session: { protectionKeys: ['k'] } });
      const sessionKey = '00000000-0000-0000-0000-000000000002';
      // One entry announced, but its value length is cut off.
      await cache.inner.set(sessionKey, Buffer.from(`02000001${'00'.repeat(16)}00016e0000`, 'hex'), { slidingExpirationMs: 60_000 });
      const cookie = `${COOKIE}=${explicitProtector(['k']).protect(sessionKey)}`;
      const response = await reader.request('/increment', { headers: { cookie } });
      expect(response.status).to.equal(200);
      expect(response.json()).to.deep.equal({ n: 1 });
      expect(reader.logger.messages('Warning').some((message) => message.startsWith('The stored session is corrupt'))).to.equal(true);
      expect(((await cache.inner.get(sessionKey)) as Buffer).subarray(-4).toString('hex')).to.equal('00000001');
    });
  });

  describe('tampered, forged, truncated and oversized cookies', () => {
    /** Each variant of a valid cookie value, and why it must not be accepted. */
    const variants: ReadonlyArray<readonly [string, (valid: string) => string]> = [
      ['a changed MAC character', (valid) => flipCharacter(valid, valid.length - 10)],
      ['a changed session key', (valid) => flipCharacter(valid, 3)],
      ['another key id', (valid) => valid.replace(/\.[0-9a-f]{8}\./, '.00000000.')],
      ['a forged MAC for a made-up key', () => `11111111-2222-3333-4444-555555555555.abcdef01.${'A'.repeat(43)}`],
      ['a truncated MAC', (valid) => valid.slice(0, -5)],
      ['no MAC at all', (valid) => valid.slice(0, valid.lastIndexOf('.'))],
      ['the bare session key', (valid) => valid.slice(0, 36)],
      ['an extra part', (valid) => `${valid}.extra`],
      ['a MAC with characters outside base64url', (valid) => `${valid.slice(0, -3)}!*(`],
      ['an oversized value', (valid) => `${valid}${'A'.repeat(5000)}`],
      ['an upper-cased session key', (valid) => valid.slice(0, 36).toUpperCase() + valid.slice(36)],
      ['garbage', () => 'not-a-session-cookie'],
    ];

    for (const [name, tamper] of variants) {
      it(`starts a new session with a warning for ${name}, never a 500`, async () => {
        const valid = await establish();
        const tampered = tamper(valid);
        expect(tampered).to.not.equal(valid);
        const attacker = new CookieJar();
        attacker.set(COOKIE, tampered);
        const read = await app.request('/read', { jar: attacker });
        expect(read.status).to.equal(200);
        expect(read.json()).to.deep.equal({ n: null, s: null });
        expect(app.logger.messages('Warning').some((message) => message.includes(UNPROTECT_WARNING))).to.equal(true);
        expect(app.logger.messages('Error')).to.deep.equal([]);
        // The next write establishes a brand-new session, under a new key, with a fresh cookie.
        const write = await app.request('/write?n=7', { jar: attacker });
        const issued = setCookieValue(write.setCookies, COOKIE);
        expect(issued).to.match(COOKIE_VALUE);
        expect(sessionKeyOf(issued)).to.not.equal(sessionKeyOf(valid));
        // The victim's session is untouched.
        expect((await app.request('/read', { jar })).json()).to.deep.equal({ n: 1, s: null });
      });
    }

    it('refuses a MAC whose last character differs only in its unused bits', async () => {
      // 32 bytes take 43 base64url characters; the last carries 2 padding bits a lenient decoder ignores.
      const valid = await establish();
      const last = valid.charAt(valid.length - 1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const index = alphabet.indexOf(last);
      const twin = alphabet.charAt((index & ~3) | ((index + 1) & 3));
      const tampered = valid.slice(0, -1) + twin;
      expect(Buffer.from(tampered.split('.')[2] as string, 'base64url')).to.deep.equal(Buffer.from(valid.split('.')[2] as string, 'base64url'));
      const attacker = new CookieJar();
      attacker.set(COOKIE, tampered);
      expect((await app.request('/read', { jar: attacker })).json()).to.deep.equal({ n: null, s: null });
      expect(app.logger.messages('Warning').some((message) => message.includes(UNPROTECT_WARNING))).to.equal(true);
    });

    it('does not let a cookie write line breaks or other control characters into the log', async () => {
      // The cookie parser %-decodes values, so an attacker can put CR/LF into the key id the warning reports.
      const attacker = new CookieJar();
      attacker.set(COOKIE, `11111111-2222-3333-4444-555555555555.x%0D%0A%5B12%3A00%3A00%20ERR%5D%20forged%1B[31m.${'A'.repeat(43)}`);
      const response = await app.request('/read', { jar: attacker });
      expect(response.status).to.equal(200);
      const warnings = app.logger.messages('Warning');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include(UNPROTECT_WARNING);
      expect(warnings[0]).to.not.match(/[\u0000-\u001f\u007f]/);
    });

    it('does not touch the store for a cookie that fails verification', async () => {
      await establish();
      const attacker = new CookieJar();
      attacker.set(COOKIE, `11111111-2222-3333-4444-555555555555.abcdef01.${'A'.repeat(43)}`);
      await app.request('/read', { jar: attacker });
      expect(cache.count('get', 'set', 'refresh', 'remove')).to.equal(0);
    });
  });

  describe('IdleTimeout (sliding)', () => {
    it('keeps data that is read before the idle time runs out and drops it after, on an injected clock', async () => {
      let now = 1_000_000;
      const clocked = new CountingCache(new MemoryDistributedCache({ clock: () => now }));
      const timed = newApp(clocked, { idleTimeoutMs: 1000 });
      try {
        await timed.request('/write?n=3', { jar });
        const key = sessionKeyOf(jar.get(COOKIE));
        now += 999;
        expect((await timed.request('/read', { jar })).json()).to.deep.equal({ n: 3, s: null });
        // That read slid the expiry: another 999 ms later the data is still there.
        now += 999;
        expect((await timed.request('/read', { jar })).json()).to.deep.equal({ n: 3, s: null });
        now += 1000;
        const expired = await timed.request('/read', { jar });
        expect(expired.json()).to.deep.equal({ n: null, s: null });
        expect(expired.setCookies).to.deep.equal([]);
        expect(timed.logger.messages('Information')).to.include(`Accessing expired session, Key:${key}`);
        // The next write starts afresh under the same key, and the cookie is not re-issued.
        const rewrite = await timed.request('/increment', { jar });
        expect(rewrite.json()).to.deep.equal({ n: 1 });
        expect(rewrite.setCookies).to.deep.equal([]);
        expect(clocked.calls.at(-1)).to.deep.equal({ operation: 'set', key });
      } finally {
        await clocked.close();
      }
    });

    describe('in a real server with idleTimeout 1 s', () => {
      let server: InProcessServer;

      before(async () => {
        server = await startInProcess(() => {
          addKrSession({ idleTimeout: 1 });
          addKrMapRoute({ path: '/increment', scriptBlock: routes['/increment'] });
        });
      });

      after(async () => {
        await server.stop();
      });

      it('slides while the client keeps coming back, and starts fresh after 1 s of silence', async function () {
        this.timeout(10_000);
        const client = new CookieJar();
        const increment = async (): Promise<number> => (await fetchUrl(`${server.url}/increment`, { jar: client })).json<{ n: number }>().n;
        expect(await increment()).to.equal(1);
        // Three visits 600 ms apart span 1.8 s, longer than the idle time: only sliding keeps the data.
        for (const expected of [2, 3, 4]) {
          await elapse(600);
          expect(await increment()).to.equal(expected);
        }
        await elapse(1100);
        expect(await increment()).to.equal(1);
      });
    });
  });

  describe('IOTimeout', () => {
    const IO_TIMEOUT_MS = 300;

    async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
      const started = performance.now();
      const result = await run();
      return { result, ms: performance.now() - started };
    }

    it('answers 503 JSON with Retry-After within IOTimeout when the load never completes (Fail)', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS });
      await establish();
      cache.stall('get');
      const { result, ms } = await timed(() => app.request('/read', { jar }));
      expect(result.status).to.equal(503);
      expect(result.headers['retry-after']).to.equal('5');
      expect(result.headers['content-type']).to.match(/^application\/json/);
      expect(result.json()).to.include({ status: 503, error: 'The session store is unavailable. Please retry later.' });
      expect(ms).to.be.within(IO_TIMEOUT_MS - 20, IO_TIMEOUT_MS + 1000);
      expect(app.logger.messages('Error').some((message) => message.startsWith('Session cache read exception'))).to.equal(true);
    });

    it('fails every read a route started while the load that then timed out was under way (Fail), and reads null under Degrade', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS });
      await establish();
      cache.stall('get');
      const failed = await app.request('/parallel', { jar });
      expect(failed.json()).to.deep.equal({ n: 'CacheUnavailableError', s: 'CacheUnavailableError' });
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS, storeErrorMode: 'Degrade' });
      const degraded = await app.request('/parallel', { jar });
      expect([degraded.status, degraded.json()]).to.deep.equal([200, { n: null, s: null }]);
      expect(cache.count('get'), 'each request went to the store once').to.equal(2);
    });

    it('answers 503 when the commit never completes, so an unsaved write is never reported as a success (Fail)', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS });
      await establish();
      cache.stall('set');
      const { result, ms } = await timed(() => app.request('/increment', { jar }));
      expect(result.status).to.equal(503);
      expect(result.headers['retry-after']).to.equal('5');
      expect(ms).to.be.within(IO_TIMEOUT_MS - 20, IO_TIMEOUT_MS + 1000);
      expect(app.logger.messages('Error')).to.include('Error closing the session.');
    });

    it('issues no cookie when the first commit of a new session times out (Fail)', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS });
      cache.stall('set');
      const result = await app.request('/write?n=1', { jar });
      expect(result.status).to.equal(503);
      expect(result.setCookies).to.deep.equal([]);
    });

    it('reads null and drops writes but succeeds when the load never completes (Degrade)', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS, storeErrorMode: 'Degrade' });
      await establish();
      cache.stall('get');
      const { result, ms } = await timed(() => app.request('/increment', { jar }));
      expect(result.status).to.equal(200);
      // The read came back null (0 + 1), and the write was dropped: nothing reached the store.
      expect(result.json()).to.deep.equal({ n: 1 });
      expect(cache.count('set')).to.equal(0);
      expect(ms).to.be.within(IO_TIMEOUT_MS - 20, IO_TIMEOUT_MS + 1000);
      cache.stalled.clear();
      expect((await app.request('/read', { jar })).json()).to.deep.equal({ n: 1, s: null });
    });

    it('succeeds without storing when the commit never completes (Degrade)', async () => {
      app = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS, storeErrorMode: 'Degrade' });
      await establish();
      cache.stall('set');
      const result = await app.request('/increment', { jar });
      expect(result.status).to.equal(200);
      expect(result.json()).to.deep.equal({ n: 2 });
      expect(app.logger.messages('Error')).to.include('Error closing the session.');
      cache.stalled.clear();
      expect((await app.request('/read', { jar })).json()).to.deep.equal({ n: 1, s: null });
    });

    it('treats an IOTimeout beyond the range of a timer (24.8 days) as long, not as 1 ms', async () => {
      // setTimeout runs any longer delay after 1 ms, which would fail every load of a healthy store.
      app = newApp(cache, { ioTimeoutMs: 3_000_000_000 });
      await establish();
      cache.latencyMs = 20;
      const response = await app.request('/increment', { jar });
      expect(response.status).to.equal(200);
      expect(response.json()).to.deep.equal({ n: 2 });
    });

    it('does not delay a route that never touches the session while the store hangs', async () => {
      app = newApp(cache, { ioTimeoutMs: 5000 });
      await establish();
      cache.stall('get', 'set', 'refresh', 'getOrCreateShared');
      const { result, ms } = await timed(() => app.request('/untouched', { jar }));
      expect(result.status).to.equal(200);
      expect(ms).to.be.below(1000);
    });

    it('bounds the key-ring load too when the cookie has to be verified against a store that hangs', async () => {
      await establish();
      // A second instance on the same store has not loaded the ring yet, and the store now hangs.
      const other = newApp(cache, { ioTimeoutMs: IO_TIMEOUT_MS });
      cache.stall('getOrCreateShared', 'get');
      const { result, ms } = await timed(() => other.request('/read', { jar }));
      expect(result.status).to.equal(503);
      expect(ms).to.be.within(IO_TIMEOUT_MS - 20, IO_TIMEOUT_MS + 1000);
    });
  });

  describe('SecurePolicy', () => {
    const servers: InProcessServer[] = [];

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    });

    async function cookieHeader(
      options: { securePolicy: 'Always' | 'SameAsRequest' | 'None'; trustProxy?: boolean; tls?: boolean },
      headers: Record<string, string> = {},
    ): Promise<string> {
      const server = await startInProcess(
        () => {
          const cookie = newKrCookieBuilder({ name: 'S', securePolicy: options.securePolicy, httpOnly: true, sameSite: 'Lax' });
          addKrSession({ cookie, trustProxy: options.trustProxy ?? false });
          addKrMapRoute({ path: '/write', scriptBlock: routes['/write'] });
        },
        { tls: options.tls ?? false },
      );
      servers.push(server);
      const response = await fetchUrl(`${server.url}/write`, { headers });
      expect(response.setCookies).to.have.length(1);
      return response.setCookies[0] as string;
    }

    it('Always marks the cookie Secure even over http', async () => {
      expect(await cookieHeader({ securePolicy: 'Always' })).to.match(/; path=\/; secure; samesite=lax; httponly$/);
    });

    it('None never marks it Secure, even over https', async function () {
      this.timeout(20_000);
      expect(await cookieHeader({ securePolicy: 'None', tls: true })).to.match(/; path=\/; samesite=lax; httponly$/);
    });

    it('SameAsRequest marks it Secure over https only', async function () {
      this.timeout(20_000);
      expect(await cookieHeader({ securePolicy: 'SameAsRequest' })).to.not.include('secure');
      expect(await cookieHeader({ securePolicy: 'SameAsRequest', tls: true })).to.include('; secure;');
    });

    it('SameAsRequest ignores X-Forwarded-Proto unless trustProxy is set', async () => {
      const forwarded = { 'x-forwarded-proto': 'https' };
      expect(await cookieHeader({ securePolicy: 'SameAsRequest' }, forwarded)).to.not.include('secure');
      expect(await cookieHeader({ securePolicy: 'SameAsRequest', trustProxy: true }, forwarded)).to.include('; secure;');
      expect(await cookieHeader({ securePolicy: 'SameAsRequest', trustProxy: true }, { 'x-forwarded-proto': 'https, http' })).to.include(
        '; secure;',
      );
      expect(await cookieHeader({ securePolicy: 'SameAsRequest', trustProxy: true }, { 'x-forwarded-proto': 'http' })).to.not.include(
        'secure',
      );
    });
  });

  describe('cookie-protection keys', () => {
    it('signs with the newest explicit key and still accepts cookies signed with an older one', async () => {
      const before = newApp(cache, { protectionKeys: ['old secret'] });
      await before.request('/write?n=1', { jar });
      const oldCookie = jar.get(COOKIE) as string;
      const rotated = newApp(cache, { protectionKeys: ['new secret', 'old secret'] });
      expect((await rotated.request('/read', { jar })).json()).to.deep.equal({ n: 1, s: null });
      const fresh = await rotated.request('/write?n=2');
      const newCookie = setCookieValue(fresh.setCookies, COOKIE) as string;
      const keyId = (value: string): string => value.split('.')[1] as string;
      expect(keyId(newCookie)).to.not.equal(keyId(oldCookie));
      expect(keyId(newCookie)).to.equal(explicitProtector(['new secret']).signingKeyId);
    });

    it('rejects cookies signed with a key that was retired from the ring', async () => {
      const before = newApp(cache, { protectionKeys: ['old secret'] });
      await before.request('/write?n=1', { jar });
      const retired = newApp(cache, { protectionKeys: ['new secret'] });
      expect((await retired.request('/read', { jar })).json()).to.deep.equal({ n: null, s: null });
      expect(retired.logger.messages('Warning').some((message) => message.includes('was not found in the key ring'))).to.equal(true);
    });

    it('lets two engines sharing one store accept each other\'s cookies through the shared key ring', async () => {
      const first = newApp(cache);
      const second = newApp(cache);
      await first.request('/write?n=1', { jar });
      expect((await second.request('/increment', { jar })).json()).to.deep.equal({ n: 2 });
      const other = new CookieJar();
      await second.request('/write?n=10', { jar: other });
      expect((await first.request('/read', { jar: other })).json()).to.deep.equal({ n: 10, s: null });
      expect(cache.calls.filter((call) => call.operation === 'getOrCreateShared').every((call) => call.key === KEY_RING_NAME)).to.equal(true);
    });

    it('loads the shared key ring once per engine, not once per request', async () => {
      await establish();
      for (let i = 0; i < 5; i++) await app.request('/increment', { jar });
      await app.request('/write?n=1');
      expect(cache.count('getOrCreateShared')).to.equal(0);
    });

    it('keeps engines on different stores from accepting each other\'s cookies', async () => {
      const otherCache = new CountingCache(new MemoryDistributedCache());
      try {
        await app.request('/write?n=1', { jar });
        const stranger = newApp(otherCache);
        expect((await stranger.request('/read', { jar })).json()).to.deep.equal({ n: null, s: null });
        expect(stranger.logger.messages('Warning').some((message) => message.includes(UNPROTECT_WARNING))).to.equal(true);
      } finally {
        await otherCache.close();
      }
    });

    it('picks up a rotated shared ring on restart: the new key signs, the old one still verifies', async () => {
      await app.request('/write?n=1', { jar });
      const oldCookie = jar.get(COOKIE) as string;
      const stored = JSON.parse(await cache.inner.getOrCreateShared(KEY_RING_NAME, 'unused')) as { version: 1; keys: unknown[] };
      const added = (JSON.parse(newStoredKeyRing()) as { keys: Array<{ id: string }> }).keys;
      await cache.inner.setShared(KEY_RING_NAME, JSON.stringify({ version: 1, keys: [...added, ...stored.keys] }));
      const restarted = newApp(cache);
      expect((await restarted.request('/read', { jar })).json()).to.deep.equal({ n: 1, s: null });
      const issued = setCookieValue((await restarted.request('/write?n=1')).setCookies, COOKIE) as string;
      expect(issued.split('.')[1]).to.equal(added[0]?.id);
      expect(issued.split('.')[1]).to.not.equal(oldCookie.split('.')[1]);
    });
  });

  describe('size limits', () => {
    /** A route that runs one write and reports the error it raised, if any. */
    function limitApp(write: () => Promise<void>): SessionApp {
      return sessionApp({
        cache,
        routes: {
          '/seed': async () => {
            await setKrSessionString({ key: 'keep', value: 'me' });
          },
          '/attempt': async () => {
            try {
              await write();
              writeKrJsonResponse({ inputObject: { error: null } });
            } catch (error) {
              const failure = error as KrCmdletError;
              writeKrJsonResponse({ inputObject: { error: failure.message, cmdlet: failure.cmdlet } });
            }
          },
          '/keep': async () => {
            writeKrJsonResponse({ inputObject: { keep: await getKrSessionString({ key: 'keep' }) } });
          },
        },
      });
    }

    it('accepts a key of exactly 65,535 UTF-8 bytes', async () => {
      const limited = limitApp(() => setKrSessionInt32({ key: 'k'.repeat(MAX_KEY_UTF8_LENGTH), value: 1 }));
      expect((await limited.request('/attempt', { jar })).json()).to.deep.equal({ error: null });
      expect(cache.count('set')).to.equal(1);
    });

    it('rejects a longer key, counted in UTF-8 bytes, with an error naming the cmdlet, and stores nothing', async () => {
      // 32,768 two-byte characters: short in UTF-16, one byte over the limit in UTF-8.
      const limited = limitApp(() => setKrSessionString({ key: 'é'.repeat(32_768), value: 'v' }));
      await limited.request('/seed', { jar });
      cache.reset();
      const result = (await limited.request('/attempt', { jar })).json<{ error: string; cmdlet: string }>();
      expect(result.cmdlet).to.equal('Set-KrSessionString');
      expect(result.error).to.match(/^Set-KrSessionString: The key cannot be longer than '65535' when encoded with UTF-8\.$/);
      expect(cache.count('set')).to.equal(0);
      expect((await limited.request('/keep', { jar })).json()).to.deep.equal({ keep: 'me' });
    });

    it(`accepts a session of exactly MAX_SERIALIZED_SESSION_BYTES and rejects one byte more`, async function () {
      this.timeout(20_000);
      // The blob: 20-byte header, then per entry 2 + key + 4 + value bytes.
      const seededBytes = 2 + 'keep'.length + 4 + 'me'.length;
      const fits = MAX_SERIALIZED_SESSION_BYTES - 20 - seededBytes - (2 + 'big'.length + 4);
      let size = fits + 1;
      const limited = limitApp(() => setKrSessionByte({ key: 'big', value: Buffer.alloc(size, 7) }));
      await limited.request('/seed', { jar });
      const key = sessionKeyOf(jar.get(COOKIE));
      cache.reset();
      const refused = (await limited.request('/attempt', { jar })).json<{ error: string; cmdlet: string }>();
      expect(refused.cmdlet).to.equal('Set-KrSessionByte');
      expect(refused.error).to.include(`more than the limit of ${MAX_SERIALIZED_SESSION_BYTES} bytes`);
      expect(cache.count('set')).to.equal(0);
      expect((await limited.request('/keep', { jar })).json()).to.deep.equal({ keep: 'me' });
      size = fits;
      expect((await limited.request('/attempt', { jar })).json()).to.deep.equal({ error: null });
      expect(((await cache.inner.get(key)) as Buffer).length).to.equal(MAX_SERIALIZED_SESSION_BYTES);
    });
  });

  describe('concurrent requests on one session', () => {
    it('are last-writer-wins: the later commit overwrites the earlier one whole', async () => {
      const loaded = new Map<string, () => void>();
      const release = new Map<string, () => void>();
      const signal = (tag: string): Promise<void> => new Promise((resolve) => loaded.set(tag, resolve));
      const gate = (tag: string): Promise<void> => new Promise((resolve) => release.set(tag, resolve));
      const waiting = { a: signal('a'), b: signal('b') };
      const gates = { a: gate('a'), b: gate('b') };
      const racing = sessionApp({
        cache,
        routes: {
          '/seed': async () => {
            await setKrSessionInt32({ key: 'seed', value: 1 });
          },
          '/race': async () => {
            const tag = getKrRequestQuery({ name: 'tag' }) as 'a' | 'b';
            await getKrSessionInt32({ key: 'seed' });
            loaded.get(tag)?.();
            await gates[tag];
            await setKrSessionInt32({ key: tag, value: 1 });
          },
          '/state': async () => {
            writeKrJsonResponse({
              inputObject: { a: await getKrSessionInt32({ key: 'a' }), b: await getKrSessionInt32({ key: 'b' }) },
            });
          },
        },
      });
      await racing.request('/seed', { jar });
      // Both requests load the same version of the session before either writes.
      const a = racing.request('/race?tag=a', { jar });
      const b = racing.request('/race?tag=b', { jar });
      await Promise.all([waiting.a, waiting.b]);
      release.get('a')?.();
      expect((await a).status).to.equal(200);
      release.get('b')?.();
      expect((await b).status).to.equal(200);
      // B never saw A's write, and its commit replaced the whole session: A's key is lost, as in ASP.NET Core.
      expect((await racing.request('/state', { jar })).json()).to.deep.equal({ a: null, b: 1 });
    });
  });
});

/** Replaces one character with a different one of the same class, so that only the content changes. */
function flipCharacter(value: string, index: number): string {
  const character = value.charAt(index);
  const replacement = /[0-9]/.test(character) ? String((Number(character) + 1) % 10) : character === 'a' ? 'b' : 'a';
  return value.slice(0, index) + replacement + value.slice(index + 1);
}
