import { expectCmdletRejection } from '../support/cmdlet-helpers.ts';
import { expect } from 'chai';
import {
  addKrMapRoute,
  addKrSession,
  getKrRequestQuery,
  getKrSessionString,
  setKrSessionByte,
  setKrSessionInt32,
  setKrSessionString,
  writeKrJsonResponse,
} from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, dotnetSessionBlob, seedSession, sessionApp } from '../support/session-harness.ts';

const SECRET = 'get-string test secret';

describe('Get-KrSessionString', () => {
  describe('in a server with sessions', () => {
    let server: InProcessServer;
    /** Values the /set route stores, by name: query strings would mangle some of them. */
    const samples: Record<string, string> = {
      ascii: 'purple',
      latin: 'Zoë',
      emoji: '🍕 and 🚀',
      cjk: '会话',
      spaces: '  padded  ',
      long: 'x'.repeat(100_000),
    };

    before(async () => {
      server = await startInProcess(() => {
        addKrSession();
        addKrMapRoute({
          path: '/set',
          scriptBlock: async () => {
            const name = getKrRequestQuery({ name: 'sample' }) ?? '';
            await setKrSessionString({ key: getKrRequestQuery({ name: 'key' }) ?? name, value: samples[name] ?? '' });
          },
        });
        addKrMapRoute({
          path: '/get',
          scriptBlock: async () => {
            const value = await getKrSessionString({ key: getKrRequestQuery({ name: 'key' }) ?? '' });
            writeKrJsonResponse({ inputObject: { value, type: value === null ? 'null' : typeof value } });
          },
        });
        addKrMapRoute({
          path: '/raw',
          scriptBlock: async () => {
            const hex = getKrRequestQuery({ name: 'hex' }) ?? '';
            await setKrSessionByte({ key: 'raw', value: Buffer.from(hex, 'hex') });
            writeKrJsonResponse({ inputObject: { value: await getKrSessionString({ key: 'raw' }) } });
          },
        });
        addKrMapRoute({
          path: '/int',
          scriptBlock: async () => {
            await setKrSessionInt32({ key: 'n', value: 0x41424344 });
            writeKrJsonResponse({ inputObject: { value: await getKrSessionString({ key: 'n' }) } });
          },
        });
      });
    });

    after(async () => {
      await server.stop();
    });

    it('returns null for a missing key, and reading sets no cookie', async () => {
      const response = await fetchUrl(`${server.url}/get?key=user`, { jar: new CookieJar() });
      expect(response.json()).to.deep.equal({ value: null, type: 'null' });
      expect(response.setCookies).to.deep.equal([]);
    });

    for (const name of ['ascii', 'latin', 'emoji', 'cjk', 'spaces', 'long']) {
      it(`returns the ${name} string Set-KrSessionString stored, in a later request`, async () => {
        const jar = new CookieJar();
        await fetchUrl(`${server.url}/set?sample=${name}`, { jar });
        expect((await fetchUrl(`${server.url}/get?key=${name}`, { jar })).json()).to.deep.equal({ value: samples[name], type: 'string' });
      });
    }

    it('treats keys as case-sensitive', async () => {
      const jar = new CookieJar();
      await fetchUrl(`${server.url}/set?sample=ascii&key=User`, { jar });
      expect((await fetchUrl(`${server.url}/get?key=User`, { jar })).json<{ value: string }>().value).to.equal('purple');
      expect((await fetchUrl(`${server.url}/get?key=user`, { jar })).json<{ value: null }>().value).to.equal(null);
    });

    for (const [hex, expected] of [
      ['ff41', '\uFFFDA'],
      ['c3', '\uFFFD'],
      ['efbbbf6869', '\uFEFFhi'],
      ['e282', '\uFFFD'],
      ['00', '\u0000'],
    ] as const) {
      it(`decodes the bytes ${hex} as .NET's Encoding.UTF8 does: ${JSON.stringify(expected)}`, async () => {
        expect((await fetchUrl(`${server.url}/raw?hex=${hex}`)).json()).to.deep.equal({ value: expected });
      });
    }

    it('reads an Int32 value as its 4 bytes of text, without an error', async () => {
      expect((await fetchUrl(`${server.url}/int`)).json()).to.deep.equal({ value: 'ABCD' });
    });
  });

  describe('reading what a .NET application stored', () => {
    it('decodes SessionExtensions.SetString bytes and returns "" for an empty value, not null', async () => {
      const cache = new CountingCache(new MemoryDistributedCache());
      try {
        const app = sessionApp({
          cache,
          session: { protectionKeys: [SECRET] },
          routes: {
            '/get': async () => {
              writeKrJsonResponse({ inputObject: { value: await getKrSessionString({ key: getKrRequestQuery({ name: 'key' }) ?? '' }) } });
            },
          },
        });
        const jar = await seedSession(
          cache,
          dotnetSessionBlob([
            ['name', Buffer.from('5a6fc3ab', 'hex')],
            ['empty', Buffer.alloc(0)],
          ]),
          SECRET,
        );
        expect((await app.request('/get?key=name', { jar })).json()).to.deep.equal({ value: 'Zoë' });
        expect((await app.request('/get?key=empty', { jar })).json()).to.deep.equal({ value: '' });
        // Reading never writes the session back.
        expect(cache.count('set')).to.equal(0);
      } finally {
        await cache.close();
      }
    });
  });

  describe('where there is no session', () => {
    it('warns and returns nothing outside a route', async () => {
      const { result, warnings } = await defaultLoggerWarnings(() => getKrSessionString({ key: 'user' }));
      expect(result).to.equal(undefined);
      expect(warnings).to.deep.equal(['Get-KrSessionString must be called inside a route script block where $Context is available.']);
    });

    it('warns and returns nothing in a route of a server without Add-KrSession', async () => {
      const server = await startInProcess(() => {
        addKrMapRoute({
          path: '/get',
          scriptBlock: async () => {
            writeKrJsonResponse({ inputObject: { undefined: (await getKrSessionString({ key: 'user' })) === undefined } });
          },
        });
      });
      try {
        expect((await fetchUrl(`${server.url}/get`)).json()).to.deep.equal({ undefined: true });
        expect(server.logger.messages('Warning')).to.deep.equal([
          `Get-KrSessionString: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
        ]);
      } finally {
        await server.stop();
      }
    });
  });

  it('rejects a missing or empty key, naming the parameter', async () => {
    for (const input of [{}, { key: '' }]) {
      const error = await expectCmdletRejection(() => getKrSessionString(input as { key: string }), /^Get-KrSessionString: /);
      expect(error, JSON.stringify(input)).to.have.property('parameter', 'Key');
    }
  });
});
