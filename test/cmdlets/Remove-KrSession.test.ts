import { expectCmdletRejection } from '../support/cmdlet-helpers.ts';
import { expect } from 'chai';
import {
  addKrMapRoute,
  getKrRequestQuery,
  getKrSessionInt32,
  getKrSessionString,
  removeKrSession,
  setKrSessionInt32,
  setKrSessionString,
  writeKrJsonResponse,
} from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, sessionApp, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

describe('Remove-KrSession', () => {
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
        '/remove': async () => {
          await removeKrSession({ key: getKrRequestQuery({ name: 'key' }) ?? '' });
        },
        '/read': async () => {
          writeKrJsonResponse({ inputObject: { user: await getKrSessionString({ key: 'user' }), n: await getKrSessionInt32({ key: 'n' }) } });
        },
        '/remove-then-set': async () => {
          await removeKrSession({ key: 'n' });
          await setKrSessionInt32({ key: 'n', value: 8 });
          writeKrJsonResponse({ inputObject: { n: await getKrSessionInt32({ key: 'n' }) } });
        },
        '/set-then-remove': async () => {
          await setKrSessionInt32({ key: 'n', value: 1 });
          await removeKrSession({ key: 'n' });
          writeKrJsonResponse({ inputObject: { n: await getKrSessionInt32({ key: 'n' }) } });
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  async function seed(): Promise<void> {
    await app.request('/seed', { jar });
    cache.reset();
  }

  it('deletes one key and keeps the others, in the store too', async () => {
    await seed();
    const response = await app.request('/remove?key=user', { jar });
    expect(response.status).to.equal(200);
    expect(response.setCookies).to.deep.equal([]);
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: null, n: 7 });
    const blob = (await storedSession(cache, jar)) as Buffer;
    // One entry left: 0001 'n' 00000004 00000007.
    expect(blob.subarray(0, 4).toString('hex')).to.equal('02000001');
    expect(blob.subarray(20).toString('hex')).to.equal('00016e0000000400000007');
  });

  it('writes the session back once when it removed something', async () => {
    await seed();
    await app.request('/remove?key=n', { jar });
    expect(cache.calls.map((call) => call.operation)).to.deep.equal(['get', 'set']);
  });

  it('leaves an empty session in the store, under the same cookie, when it removes the last key', async () => {
    await seed();
    await app.request('/remove?key=user', { jar });
    await app.request('/remove?key=n', { jar });
    const blob = (await storedSession(cache, jar)) as Buffer;
    expect(blob).to.have.length(20);
    expect(blob.subarray(0, 4).toString('hex')).to.equal('02000000');
  });

  it('is a no-op for a missing key: nothing is written back', async () => {
    await seed();
    await app.request('/remove?key=missing', { jar });
    expect(cache.calls.map((call) => call.operation)).to.deep.equal(['get']);
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: 'max', n: 7 });
  });

  it('never creates a session: no cookie and no store I/O for a client without one', async () => {
    const response = await app.request('/remove?key=user', { jar });
    expect(response.status).to.equal(200);
    expect(response.setCookies).to.deep.equal([]);
    expect(response.headers['cache-control']).to.equal(undefined);
    expect(cache.calls).to.deep.equal([]);
  });

  it('treats keys as case-sensitive', async () => {
    await seed();
    await app.request('/remove?key=USER', { jar });
    await app.request('/remove?key=N', { jar });
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: 'max', n: 7 });
    expect(cache.count('set')).to.equal(0);
  });

  it('lets a later write in the same request store the key again', async () => {
    await seed();
    expect((await app.request('/remove-then-set', { jar })).json()).to.deep.equal({ n: 8 });
    expect((await app.request('/read', { jar })).json()).to.deep.equal({ user: 'max', n: 8 });
  });

  it('undoes a write made earlier in the same request, which still establishes the new session', async () => {
    const response = await app.request('/set-then-remove', { jar });
    expect(response.json()).to.deep.equal({ n: null });
    // The Set established the session: ASP.NET Core issues the cookie even though the key is gone again.
    expect(response.setCookies).to.have.length(1);
    expect(((await storedSession(cache, jar)) as Buffer).subarray(0, 4).toString('hex')).to.equal('02000000');
  });

  it('rejects a missing or empty key, naming the parameter', async () => {
    for (const input of [{}, { key: '' }]) {
      const error = await expectCmdletRejection(() => removeKrSession(input as { key: string }), /^Remove-KrSession: /);
      expect(error, JSON.stringify(input)).to.have.property('parameter', 'Key');
    }
  });

  it('warns and does nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => removeKrSession({ key: 'user' }));
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Remove-KrSession must be called inside a route script block where $Context is available.']);
  });

  it('warns and does nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/remove',
        scriptBlock: async () => {
          await removeKrSession({ key: 'user' });
        },
      });
    });
    try {
      expect((await fetchUrl(`${server.url}/remove`)).status).to.equal(200);
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Remove-KrSession: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });
});
