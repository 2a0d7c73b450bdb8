import { expect } from 'chai';
import {
  addKrMapRoute,
  addKrSession,
  getKrRequestQuery,
  getKrSessionInt32,
  KrCmdletError,
  setKrSessionByte,
  setKrSessionInt32,
  writeKrJsonResponse,
} from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, dotnetSessionBlob, seedSession, sessionApp } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

const SECRET = 'get-int32 test secret';

/** The query value `name`, or '' when absent. */
function query(name: string): string {
  return getKrRequestQuery({ name }) ?? '';
}

describe('Get-KrSessionInt32', () => {
  describe('in a server with sessions', () => {
    let server: InProcessServer;

    before(async () => {
      server = await startInProcess(() => {
        addKrSession();
        addKrMapRoute({
          path: '/set',
          scriptBlock: async () => {
            await setKrSessionInt32({ key: query('key'), value: Number(query('value')) });
          },
        });
        addKrMapRoute({
          path: '/get',
          scriptBlock: async () => {
            const value = await getKrSessionInt32({ key: query('key') });
            // undefined would vanish from JSON; the test must tell null from a missing answer.
            writeKrJsonResponse({ inputObject: { value, type: value === null ? 'null' : typeof value } });
          },
        });
        addKrMapRoute({
          path: '/bytes',
          scriptBlock: async () => {
            await setKrSessionByte({ key: 'v', value: query('hex').match(/../g)?.map((pair) => parseInt(pair, 16)) ?? [] });
            writeKrJsonResponse({ inputObject: { value: await getKrSessionInt32({ key: 'v' }) } });
          },
        });
        addKrMapRoute({
          path: '/set-then-get',
          scriptBlock: async () => {
            const before = await getKrSessionInt32({ key: 'fresh' });
            await setKrSessionInt32({ key: 'fresh', value: 7 });
            writeKrJsonResponse({ inputObject: { before, after: await getKrSessionInt32({ key: 'fresh' }) } });
          },
        });
      });
    });

    after(async () => {
      await server.stop();
    });

    const get = async (path: string, jar: CookieJar): Promise<Record<string, unknown>> => (await fetchUrl(`${server.url}${path}`, { jar })).json();

    it('returns null, not 0, for a missing key, and reading sets no cookie', async () => {
      const jar = new CookieJar();
      const response = await fetchUrl(`${server.url}/get?key=counter`, { jar });
      expect(response.json()).to.deep.equal({ value: null, type: 'null' });
      expect(response.setCookies).to.deep.equal([]);
    });

    for (const value of [0, 1, -1, 10, 0x12345678, -2147483648, 2147483647]) {
      it(`returns ${value} as Set-KrSessionInt32 stored it, in a later request`, async () => {
        const jar = new CookieJar();
        await fetchUrl(`${server.url}/set?key=n&value=${value}`, { jar });
        expect(await get('/get?key=n', jar)).to.deep.equal({ value, type: 'number' });
      });
    }

    it('treats keys as case-sensitive', async () => {
      const jar = new CookieJar();
      await fetchUrl(`${server.url}/set?key=Counter&value=5`, { jar });
      expect((await get('/get?key=Counter', jar)).value).to.equal(5);
      expect((await get('/get?key=counter', jar)).value).to.equal(null);
      expect((await get('/get?key=COUNTER', jar)).value).to.equal(null);
    });

    for (const [hex, expected] of [
      ['01', null],
      ['000001', null],
      ['0000000a', 10],
      ['fffffffe', -2],
      ['0000000509', 5],
      ['61626364', 0x61626364],
      ['80000000ffff', -2147483648],
    ] as const) {
      it(`reads the bytes ${hex} as ${String(expected)}: null under 4 bytes, else the first 4 big-endian`, async () => {
        expect(await get(`/bytes?hex=${hex}`, new CookieJar())).to.deep.equal({ value: expected });
      });
    }

    it('sees a value set earlier in the same request', async () => {
      expect(await get('/set-then-get', new CookieJar())).to.deep.equal({ before: null, after: 7 });
    });

    it('does not share values between clients', async () => {
      const alice = new CookieJar();
      await fetchUrl(`${server.url}/set?key=n&value=3`, { jar: alice });
      expect((await get('/get?key=n', new CookieJar())).value).to.equal(null);
    });
  });

  describe('reading what a .NET application stored', () => {
    let cache: CountingCache;
    let app: SessionApp;

    beforeEach(() => {
      cache = new CountingCache(new MemoryDistributedCache());
      app = sessionApp({
        cache,
        session: { protectionKeys: [SECRET] },
        routes: {
          '/get': async () => {
            writeKrJsonResponse({ inputObject: { value: await getKrSessionInt32({ key: query('key') }) } });
          },
        },
      });
    });

    afterEach(async () => {
      await cache.close();
    });

    it('decodes SessionExtensions.SetInt32 bytes, ignores other entries, and reads an empty value as null', async () => {
      const blob = dotnetSessionBlob([
        ['Key', Buffer.from('0000000a', 'hex')],
        ['name', Buffer.from('Zoë')],
        ['empty', Buffer.alloc(0)],
      ]);
      const jar = await seedSession(cache, blob, SECRET);
      expect((await app.request('/get?key=Key', { jar })).json()).to.deep.equal({ value: 10 });
      expect((await app.request('/get?key=empty', { jar })).json()).to.deep.equal({ value: null });
      expect((await app.request('/get?key=missing', { jar })).json()).to.deep.equal({ value: null });
    });

    it('loads the session once per request and writes nothing back', async () => {
      const jar = await seedSession(cache, dotnetSessionBlob([['Key', Buffer.from('00000001', 'hex')]]), SECRET);
      cache.reset();
      await app.request('/get?key=Key', { jar });
      expect(cache.count('get')).to.equal(1);
      expect(cache.count('set', 'refresh', 'remove')).to.equal(0);
    });
  });

  describe('where there is no session', () => {
    it('warns and returns nothing outside a route', async () => {
      const { result, warnings } = await defaultLoggerWarnings(() => getKrSessionInt32({ key: 'counter' }));
      expect(result).to.equal(undefined);
      expect(warnings).to.deep.equal(['Get-KrSessionInt32 must be called inside a route script block where $Context is available.']);
    });

    it('warns and returns nothing in a route of a server without Add-KrSession', async () => {
      const server = await startInProcess(() => {
        addKrMapRoute({
          path: '/get',
          scriptBlock: async () => {
            const value = await getKrSessionInt32({ key: 'counter' });
            writeKrJsonResponse({ inputObject: { undefined: value === undefined } });
          },
        });
      });
      try {
        const response = await fetchUrl(`${server.url}/get`);
        expect(response.status).to.equal(200);
        expect(response.json()).to.deep.equal({ undefined: true });
        expect(server.logger.messages('Warning')).to.deep.equal([
          `Get-KrSessionInt32: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
        ]);
      } finally {
        await server.stop();
      }
    });
  });

  describe('parameters', () => {
    it('requires a non-empty key', async () => {
      for (const input of [{}, { key: '' }, { key: null }]) {
        let failure: unknown;
        await Promise.resolve()
          .then(() => getKrSessionInt32(input as { key: string }))
          .catch((error: unknown) => (failure = error));
        expect(failure, JSON.stringify(input)).to.be.instanceOf(KrCmdletError);
        expect((failure as KrCmdletError).message).to.match(/^Get-KrSessionInt32: /);
        expect((failure as KrCmdletError).parameter).to.equal('Key');
      }
    });
  });
});
