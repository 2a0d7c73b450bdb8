import { expectCmdletRejection } from '../support/cmdlet-helpers.ts';
import { expect } from 'chai';
import {
  addKrMapRoute,
  getKrRequestQuery,
  getKrSessionByte,
  setKrSessionByte,
  setKrSessionInt32,
  setKrSessionString,
  writeKrJsonResponse,
} from '../../src/index.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import { CountingCache, defaultLoggerWarnings, dotnetSessionBlob, seedSession, sessionApp, storedSession } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

const SECRET = 'get-byte test secret';
/** Every byte value, so any text decoding on the way would show. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

/** What a route reports about a value it read: JSON cannot carry a Buffer as such. */
function describeBytes(value: Buffer | null | undefined): Record<string, unknown> {
  if (value === undefined) return { kind: 'undefined' };
  if (value === null) return { kind: 'null' };
  return { kind: Buffer.isBuffer(value) ? 'Buffer' : typeof value, hex: value.toString('hex') };
}

describe('Get-KrSessionByte', () => {
  let cache: CountingCache;
  let app: SessionApp;

  beforeEach(() => {
    cache = new CountingCache(new MemoryDistributedCache());
    app = sessionApp({
      cache,
      session: { protectionKeys: [SECRET] },
      routes: {
        '/store-all': async () => {
          await setKrSessionByte({ key: 'all', value: ALL_BYTES });
        },
        '/get': async () => {
          writeKrJsonResponse({ inputObject: describeBytes(await getKrSessionByte({ key: getKrRequestQuery({ name: 'key' }) ?? '' })) });
        },
        '/mutate': async () => {
          // Changing what was returned must change neither a second read nor what is stored.
          const first = (await getKrSessionByte({ key: 'all' })) as Buffer;
          first.fill(0);
          writeKrJsonResponse({ inputObject: describeBytes(await getKrSessionByte({ key: 'all' })) });
        },
        '/others': async () => {
          await setKrSessionString({ key: 's', value: 'Zoë' });
          await setKrSessionInt32({ key: 'i', value: -2 });
          writeKrJsonResponse({
            inputObject: { s: describeBytes(await getKrSessionByte({ key: 's' })), i: describeBytes(await getKrSessionByte({ key: 'i' })) },
          });
        },
        '/one': async () => {
          await setKrSessionByte({ key: 'one', value: [42] });
          writeKrJsonResponse({ inputObject: describeBytes(await getKrSessionByte({ key: 'one' })) });
        },
      },
    });
  });

  afterEach(async () => {
    await cache.close();
  });

  it('returns null for a missing key, and reading sets no cookie', async () => {
    const response = await app.request('/get?key=missing');
    expect(response.json()).to.deep.equal({ kind: 'null' });
    expect(response.setCookies).to.deep.equal([]);
  });

  it('returns a Buffer with exactly the bytes Set-KrSessionByte stored, in a later request', async () => {
    const jar = new CookieJar();
    await app.request('/store-all', { jar });
    expect((await app.request('/get?key=all', { jar })).json()).to.deep.equal({ kind: 'Buffer', hex: ALL_BYTES.toString('hex') });
  });

  it('returns a copy: changing it changes neither a later read nor the stored session', async () => {
    const jar = new CookieJar();
    await app.request('/store-all', { jar });
    expect((await app.request('/mutate', { jar })).json()).to.deep.equal({ kind: 'Buffer', hex: ALL_BYTES.toString('hex') });
    expect(cache.count('set')).to.equal(1);
    expect(((await storedSession(cache, jar)) as Buffer).subarray(-256).equals(ALL_BYTES)).to.equal(true);
    expect((await app.request('/get?key=all', { jar })).json()).to.deep.equal({ kind: 'Buffer', hex: ALL_BYTES.toString('hex') });
  });

  it('returns a one-byte value as a Buffer of length 1, not as a number', async () => {
    expect((await app.request('/one')).json()).to.deep.equal({ kind: 'Buffer', hex: '2a' });
  });

  it('returns the raw bytes of values the other setters stored', async () => {
    expect((await app.request('/others')).json()).to.deep.equal({
      s: { kind: 'Buffer', hex: '5a6fc3ab' },
      i: { kind: 'Buffer', hex: 'fffffffe' },
    });
  });

  it('treats keys as case-sensitive', async () => {
    const jar = new CookieJar();
    await app.request('/store-all', { jar });
    expect((await app.request('/get?key=ALL', { jar })).json()).to.deep.equal({ kind: 'null' });
  });

  it('returns an empty Buffer, not null, for an empty value a .NET application stored', async () => {
    const jar = await seedSession(cache, dotnetSessionBlob([['empty', Buffer.alloc(0)], ['data', Buffer.from([1, 2])]]), SECRET);
    expect((await app.request('/get?key=empty', { jar })).json()).to.deep.equal({ kind: 'Buffer', hex: '' });
    expect((await app.request('/get?key=data', { jar })).json()).to.deep.equal({ kind: 'Buffer', hex: '0102' });
  });

  it('warns and returns nothing outside a route', async () => {
    const { result, warnings } = await defaultLoggerWarnings(() => getKrSessionByte({ key: 'k' }));
    expect(result).to.equal(undefined);
    expect(warnings).to.deep.equal(['Get-KrSessionByte must be called inside a route script block where $Context is available.']);
  });

  it('warns and returns nothing in a route of a server without Add-KrSession', async () => {
    const server = await startInProcess(() => {
      addKrMapRoute({
        path: '/get',
        scriptBlock: async () => {
          writeKrJsonResponse({ inputObject: describeBytes(await getKrSessionByte({ key: 'k' })) });
        },
      });
    });
    try {
      expect((await fetchUrl(`${server.url}/get`)).json()).to.deep.equal({ kind: 'undefined' });
      expect(server.logger.messages('Warning')).to.deep.equal([
        `Get-KrSessionByte: server '${server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`,
      ]);
    } finally {
      await server.stop();
    }
  });

  it('rejects a missing or empty key, naming the parameter', async () => {
    for (const input of [{}, { key: '' }]) {
      const error = await expectCmdletRejection(() => getKrSessionByte(input as { key: string }), /^Get-KrSessionByte: /);
      expect(error, JSON.stringify(input)).to.have.property('parameter', 'Key');
    }
  });
});
