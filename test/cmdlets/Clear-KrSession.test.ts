import { expectCmdletRejection } from '../support/cmdlet-helpers.ts';
import { expect } from 'chai';
import {
  addKrMapRoute,
  clearKrSession,
  getKrSessionInt32,
  getKrSessionString,
  setKrSessionInt32,
  setKrSessionString,
  writeKrJsonResponse,
} from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, SESSION_COOKIE, sessionApp, sessionKeyOf, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

describe('Clear-KrSession', () => {
  let cache: CountingCache;
  let app: SessionApp;
  let jar: CookieJar;

  beforeEach(() => {
    cache = new CountingCache(new MemoryDistributedCache());
    jar = new CookieJar();
    app = sessionApp({
      cache,
      routes: {
        '/seed': async () => {
          await setKrSessionString({ key: 'user', value: 'max' });
          await setKrSessionInt32({ key: 'n', value: 7 });
        },
        '/clear': async () => {
          await clearKrSession();
          writeKrJsonResponse({ inputObject: { user: await getKrSessionString({ key: 'user' }), n: await getKrSessionInt32({ key: 'n' }) } });
        },
        '/read': async () => {
          writeKrJsonResponse({ inputObject: { user: await getKrSessionString({ key: 'user' }), n: await getKrSessionInt32({ key: 'n' }) } });
        },
        '/clear-then-set': async () => {
          await clearKrSession();
          await setKrSessionInt32({ key: 'n', value: 1 });
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  async function seed(): Promise<Buffer> {
    await app.request('/seed', { jar });
    cache.reset();
    return (await storedSession(cache, jar)) as Buffer;
  }

  it('deletes every key at once, within the request and for later requests', async () => {
    await seed();
    expect((await app.request('/clear', { jar })).json()).to.deep.equal({ user: null, n: null });
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: null, n: null });
  });

  it('keeps the session key and its cookie: no Set-Cookie, no deletion, and later writes go to the same key', async () => {
    await seed();
    const cookie = jar.get(SESSION_COOKIE);
    const cleared = await app.request('/clear', { jar });
    expect(cleared.setCookies).to.deep.equal([]);
    expect(cleared.headers['cache-control']).to.equal(undefined);
    const rewritten = await app.request('/clear-then-set', { jar });
    expect(rewritten.setCookies).to.deep.equal([]);
    expect(jar.get(SESSION_COOKIE)).to.equal(cookie);
    expect(cache.calls.filter((call) => call.operation === 'set').map((call) => call.key)).to.deep.equal([
      sessionKeyOf(cookie),
      sessionKeyOf(cookie),
    ]);
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: null, n: 1 });
  });

  it('stores an empty 20-byte session that keeps its session id', async () => {
    const before = await seed();
    await app.request('/clear', { jar });
    const after = (await storedSession(cache, jar)) as Buffer;
    expect(after.toString('hex')).to.equal(`02000000${before.subarray(4, 20).toString('hex')}`);
    expect(cache.calls.map((call) => call.operation)).to.deep.equal(['get', 'set']);
  });

  it('writes nothing when the session is already empty', async () => {
    await seed();
    await app.request('/clear', { jar });
    cache.reset();
    await app.request('/clear', { jar });
    expect(cache.calls.map((call) => call.operation)).to.deep.equal(['get']);
  });

  it('does nothing for a client without a session: no cookie and no store I/O', async () => {
    const response = await app.request('/clear', { jar });
    expect(response.status).to.equal(200);
    expect(response.setCookies).to.deep.equal([]);
    expect(cache.calls).to.deep.equal([]);
  });

  it('takes no parameters: the returned promise rejects with a cmdlet error', async () => {
    await expectCmdletRejection(() => clearKrSession({ key: 'user' } as unknown as Record<string, never>), /^Clear-KrSession: /);
  });

  it('warns and does nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => clearKrSession());
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Clear-KrSession must be called inside a route script block where $Context is available.']);
  });

  it('warns and does nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/clear',
        scriptBlock: async () => {
          await clearKrSession();
        },
      });
    });
    try {
      expect((await fetchUrl(`${server.url}/clear`)).status).to.equal(200);
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Clear-KrSession: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });
});
