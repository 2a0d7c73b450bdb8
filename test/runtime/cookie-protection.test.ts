import { expect } from 'chai';
import { createHmac, randomBytes } from 'node:crypto';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import { CookieProtector, MAX_PROTECTED_COOKIE_LENGTH, protectionKey, VERIFIED_COOKIE_CACHE_SIZE } from '../../src/runtime/session/cookie-protection.ts';
import type { UnprotectResult } from '../../src/runtime/session/cookie-protection.ts';
import { explicitProtector, KEY_RING_NAME, KEY_RING_REFRESH_MS, newStoredKeyRing, SharedKeyRing } from '../../src/runtime/session/key-ring.ts';
import { createSessionKey } from '../../src/runtime/session/session-format.ts';
import { CountingCache } from '../support/session-harness.ts';

const SESSION_KEY = '382c74c3-721d-4f34-80e5-57657b6cbc27';
const PROTECTED = /^([0-9a-f-]{36})\.([^.]+)\.([A-Za-z0-9_-]{43})$/;

function key(id: string, fill: number): ReturnType<typeof protectionKey> {
  return protectionKey(id, Buffer.alloc(32, fill));
}

function reasonOf(result: UnprotectResult): string {
  expect(result.ok, 'expected the value to be refused').to.equal(false);
  return result.ok ? '' : result.reason;
}

interface StoredRing {
  readonly version: number;
  readonly keys: ReadonlyArray<{ readonly id: string; readonly secret: string; readonly created: string }>;
}

describe('cookie protection', () => {
  describe('CookieProtector', () => {
    const protector = new CookieProtector([key('newest', 1), key('older', 2)]);

    it('writes <session key>.<signing key id>.<base64url HMAC-SHA256>, with nothing but the key in it', () => {
      const value = protector.protect(SESSION_KEY);
      const match = PROTECTED.exec(value);
      expect(match, value).to.not.equal(null);
      expect(match?.[1]).to.equal(SESSION_KEY);
      expect(match?.[2]).to.equal('newest');
      expect(Buffer.from(match?.[3] as string, 'base64url')).to.have.length(32);
    });

    it('is deterministic for a key and differs between session keys and between keys', () => {
      expect(protector.protect(SESSION_KEY)).to.equal(protector.protect(SESSION_KEY));
      const other = createSessionKey();
      expect(protector.protect(other).split('.')[2]).to.not.equal(protector.protect(SESSION_KEY).split('.')[2]);
      const differentSecret = new CookieProtector([key('newest', 9)]);
      expect(differentSecret.protect(SESSION_KEY)).to.not.equal(protector.protect(SESSION_KEY));
    });

    it('round-trips what it protects', () => {
      for (let i = 0; i < 20; i++) {
        const sessionKey = createSessionKey();
        expect(protector.unprotect(protector.protect(sessionKey))).to.deep.equal({ ok: true, sessionKey });
      }
    });

    it('signs with the first key of the ring and verifies with every key', () => {
      expect(protector.signingKeyId).to.equal('newest');
      const signedByOlder = new CookieProtector([key('older', 2)]).protect(SESSION_KEY);
      expect(protector.unprotect(signedByOlder)).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
    });

    it('refuses a value signed by a key that is not in the ring, naming the key id', () => {
      const foreign = new CookieProtector([key('retired', 3)]).protect(SESSION_KEY);
      expect(reasonOf(protector.unprotect(foreign))).to.equal('the key retired was not found in the key ring');
    });

    it('does not repeat a key id that is not a plain token, so that it cannot forge log lines', () => {
      const reason = reasonOf(protector.unprotect(`${SESSION_KEY}.evil\r\n[ERR] forged.${'A'.repeat(43)}`));
      expect(reason).to.equal('the key (not a valid key id) was not found in the key ring');
    });

    it('binds the MAC to the key id: the same secret under another id does not verify', () => {
      const relabelled = new CookieProtector([key('alias', 1)]).protect(SESSION_KEY).replace('.alias.', '.newest.');
      expect(reasonOf(protector.unprotect(relabelled))).to.equal('the cookie signature does not match');
    });

    it('binds the MAC to its purpose: a bare HMAC of the session key with the right secret does not verify', () => {
      const bare = createHmac('sha256', Buffer.alloc(32, 1)).update(SESSION_KEY).digest('base64url');
      expect(reasonOf(protector.unprotect(`${SESSION_KEY}.newest.${bare}`))).to.equal('the cookie signature does not match');
    });

    it('refuses a changed session key, a changed or truncated MAC and a non-canonical MAC', () => {
      const valid = protector.protect(SESSION_KEY);
      const [, keyId, signature] = valid.split('.') as [string, string, string];
      const otherKey = SESSION_KEY.replace('382c', '382d');
      expect(reasonOf(protector.unprotect(`${otherKey}.${keyId}.${signature}`))).to.equal('the cookie signature does not match');
      const flipped = (signature.charAt(0) === 'A' ? 'B' : 'A') + signature.slice(1);
      expect(reasonOf(protector.unprotect(`${SESSION_KEY}.${keyId}.${flipped}`))).to.equal('the cookie signature does not match');
      expect(reasonOf(protector.unprotect(`${SESSION_KEY}.${keyId}.${signature.slice(0, -4)}`))).to.equal('the cookie signature does not match');
      // Padding, a stray invalid character, or other unused bits in the last character decode to the same bytes.
      for (const variant of [`${signature}=`, `${signature.slice(0, 20)}*${signature.slice(20)}`]) {
        expect(Buffer.from(variant, 'base64url').equals(Buffer.from(signature, 'base64url')), variant).to.equal(true);
        expect(reasonOf(protector.unprotect(`${SESSION_KEY}.${keyId}.${variant}`)), variant).to.equal('the cookie signature does not match');
      }
    });

    it('refuses values that are not three dot-separated parts', () => {
      for (const value of ['', SESSION_KEY, `${SESSION_KEY}.newest`, `${protector.protect(SESSION_KEY)}.more`]) {
        expect(reasonOf(protector.unprotect(value)), value).to.equal('the cookie value is malformed');
      }
    });

    it('refuses a correctly signed value whose session key is not a lower-case 36-character GUID', () => {
      for (const sessionKey of [SESSION_KEY.toUpperCase(), SESSION_KEY.slice(1), `${SESSION_KEY}0`, 'x'.repeat(36), SESSION_KEY.replace(/-/g, '')]) {
        expect(reasonOf(protector.unprotect(protector.protect(sessionKey))), sessionKey).to.equal('the cookie carries no valid session key');
      }
    });

    it(`refuses values longer than ${MAX_PROTECTED_COOKIE_LENGTH} characters before any parsing`, () => {
      const valid = protector.protect(SESSION_KEY);
      expect(valid.length).to.be.below(MAX_PROTECTED_COOKIE_LENGTH);
      expect(reasonOf(protector.unprotect(valid + 'A'.repeat(MAX_PROTECTED_COOKIE_LENGTH + 1 - valid.length)))).to.equal(
        'the cookie value is too long',
      );
      expect(reasonOf(protector.unprotect('.'.repeat(100_000)))).to.equal('the cookie value is too long');
    });

    it('cannot be built without a key', () => {
      expect(() => new CookieProtector([])).to.throw('A cookie-protection key ring needs at least one key.');
    });

    it('freezes the keys it is given', () => {
      const made = protectionKey('id', randomBytes(32));
      expect(Object.isFrozen(made)).to.equal(true);
    });
  });

  describe('explicitProtector (protectionKeys)', () => {
    it('derives key ids from the secrets, so every instance with the same secrets agrees', () => {
      const first = explicitProtector(['new', 'old']);
      const second = explicitProtector(['new', 'old']);
      expect(first.signingKeyId).to.match(/^[0-9a-f]{8}$/);
      expect(first.protect(SESSION_KEY)).to.equal(second.protect(SESSION_KEY));
    });

    it('signs with the first secret and verifies with all of them', () => {
      const rotated = explicitProtector(['new', 'old']);
      const before = explicitProtector(['old']);
      expect(rotated.signingKeyId).to.equal(explicitProtector(['new']).signingKeyId);
      expect(rotated.unprotect(before.protect(SESSION_KEY))).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
      expect(before.unprotect(rotated.protect(SESSION_KEY)).ok).to.equal(false);
    });

    it('treats different secrets as different keys', () => {
      expect(explicitProtector(['a']).signingKeyId).to.not.equal(explicitProtector(['b']).signingKeyId);
      expect(explicitProtector(['a']).unprotect(explicitProtector(['b']).protect(SESSION_KEY)).ok).to.equal(false);
    });
  });

  describe('SharedKeyRing', () => {
    let cache: CountingCache;

    beforeEach(() => {
      cache = new CountingCache(new MemoryDistributedCache());
    });

    afterEach(async () => {
      await cache.close();
    });

    it('creates one ring in the store that every instance then shares', async () => {
      const first = await new SharedKeyRing(cache).load();
      const second = await new SharedKeyRing(cache).load();
      expect(first.signingKeyId).to.equal(second.signingKeyId);
      expect(second.unprotect(first.protect(SESSION_KEY))).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
      expect(cache.calls).to.deep.equal([
        { operation: 'getOrCreateShared', key: KEY_RING_NAME },
        { operation: 'getOrCreateShared', key: KEY_RING_NAME },
      ]);
    });

    it('is not ready before its first load, and then serves without touching the store', async () => {
      const ring = new SharedKeyRing(cache);
      expect(ring.ready).to.equal(undefined);
      const loaded = await ring.load();
      expect(ring.ready).to.equal(loaded);
      expect(ring.ready).to.equal(loaded);
      expect(cache.count()).to.equal(1);
    });

    it('shares one load between concurrent callers', async () => {
      const ring = new SharedKeyRing(cache);
      const [a, b, c] = await Promise.all([ring.load(), ring.load(), ring.load()]);
      expect(a).to.equal(b);
      expect(b).to.equal(c);
      expect(cache.count()).to.equal(1);
    });

    it('re-reads the ring after KEY_RING_REFRESH_MS and so picks up a rotation made elsewhere', async () => {
      let now = 0;
      const ring = new SharedKeyRing(cache, () => now);
      const original = await ring.load();
      const oldCookie = original.protect(SESSION_KEY);
      // Another instance rotates: a new key goes first and the old one stays to verify.
      const stored = JSON.parse(await cache.inner.getOrCreateShared(KEY_RING_NAME, '')) as StoredRing;
      const added = (JSON.parse(newStoredKeyRing()) as StoredRing).keys;
      await cache.inner.setShared(KEY_RING_NAME, JSON.stringify({ version: 1, keys: [...added, ...stored.keys] }));
      now = KEY_RING_REFRESH_MS - 1;
      expect(ring.ready).to.equal(original);
      now = KEY_RING_REFRESH_MS;
      // The stale ring still answers while the refresh runs, so no request waits for it.
      expect(ring.ready).to.equal(original);
      const refreshed = await ring.load();
      expect(refreshed.signingKeyId).to.equal(added[0]?.id);
      expect(refreshed.unprotect(oldCookie)).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
      expect(ring.ready).to.equal(refreshed);
    });

    it('keeps the same protector when a refresh finds the ring unchanged', async () => {
      let now = 0;
      const ring = new SharedKeyRing(cache, () => now);
      const original = await ring.load();
      now = KEY_RING_REFRESH_MS;
      expect(await ring.load()).to.equal(original);
      expect(ring.ready).to.equal(original);
    });

    it('refuses a stored ring in an unknown format or with a weak key, naming the ring', async () => {
      await cache.inner.setShared(KEY_RING_NAME, JSON.stringify({ version: 2, keys: [] }));
      let failure: unknown;
      await new SharedKeyRing(cache).load().catch((error: unknown) => (failure = error));
      expect(String(failure)).to.include(`'${KEY_RING_NAME}' is not in a format this version understands`);
      await cache.inner.setShared(KEY_RING_NAME, JSON.stringify({ version: 1, keys: [{ id: 'x', secret: 'c2hvcnQ=', created: '' }] }));
      failure = undefined;
      await new SharedKeyRing(cache).load().catch((error: unknown) => (failure = error));
      expect(String(failure)).to.include('holds an invalid key');
    });

    it('retries after a failed load instead of keeping the failure', async () => {
      await cache.inner.setShared(KEY_RING_NAME, 'not json');
      const ring = new SharedKeyRing(cache);
      let failed = false;
      await ring.load().catch(() => (failed = true));
      expect(failed).to.equal(true);
      await cache.inner.setShared(KEY_RING_NAME, newStoredKeyRing());
      expect((await ring.load()).signingKeyId).to.match(/^[0-9a-f]{8}$/);
    });

    it('stores version 1 with one 32-byte key, newest first', () => {
      const ring = JSON.parse(newStoredKeyRing(new Date(Date.UTC(2025, 0, 1)))) as StoredRing;
      expect(ring.version).to.equal(1);
      expect(ring.keys).to.have.length(1);
      expect(ring.keys[0]?.id).to.match(/^[0-9a-f]{8}$/);
      expect(Buffer.from(ring.keys[0]?.secret as string, 'base64')).to.have.length(32);
      expect(ring.keys[0]?.created).to.equal('2025-01-01T00:00:00.000Z');
      expect((JSON.parse(newStoredKeyRing()) as StoredRing).keys[0]?.secret).to.not.equal(ring.keys[0]?.secret);
    });
  });

  describe('remembering verified cookies', () => {
    it('still refuses a tampered value after the genuine one was verified and remembered', () => {
      const protector = explicitProtector(['remembered secret']);
      const genuine = protector.protect(SESSION_KEY);
      expect(protector.unprotect(genuine)).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
      const tampered = `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`;
      expect(protector.unprotect(tampered).ok).to.equal(false);
      expect(protector.unprotect(tampered).ok).to.equal(false);
      expect(protector.unprotect(genuine)).to.deep.equal({ ok: true, sessionKey: SESSION_KEY });
    });

    it('keeps verifying every cookie once more have been seen than it remembers', () => {
      const protector = explicitProtector(['bounded secret']);
      const keys = Array.from({ length: VERIFIED_COOKIE_CACHE_SIZE + 10 }, () => createSessionKey());
      const cookies = keys.map((key) => protector.protect(key));
      for (const cookie of cookies) expect(protector.unprotect(cookie).ok).to.equal(true);
      for (const [index, cookie] of cookies.entries()) {
        expect(protector.unprotect(cookie)).to.deep.equal({ ok: true, sessionKey: keys[index] });
      }
    });

    it('does not carry what one ring verified over to another ring', () => {
      const cookie = explicitProtector(['first ring secret']).protect(SESSION_KEY);
      expect(explicitProtector(['first ring secret']).unprotect(cookie).ok).to.equal(true);
      expect(explicitProtector(['second ring secret']).unprotect(cookie).ok).to.equal(false);
    });
  });
});
