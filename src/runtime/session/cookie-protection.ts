import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Session keys are 36-character .NET Guid strings, as ASP.NET Core's SessionMiddleware requires. */
const SESSION_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A protected value is about 90 characters; anything far longer is refused before any crypto runs. */
export const MAX_PROTECTED_COOKIE_LENGTH = 256;
/** Binds a MAC to this use, as Data Protection's purpose string "SessionMiddleware" does. */
const PURPOSE = 'kestrun-ts:SessionMiddleware:v1';
/**
 * How many verified cookie values a protector remembers. A returning client's cookie is then checked with one
 * map lookup instead of an HMAC; only values that verified are kept, so a forged value is never remembered.
 */
export const VERIFIED_COOKIE_CACHE_SIZE = 10_000;
/** Key ids are short tokens; only such an id is repeated in a log message. */
const PRINTABLE_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ProtectionKey {
  /** Short identifier written into every cookie, so that verification picks the right key without trying all. */
  readonly id: string;
  readonly secret: KeyObject;
}

export type UnprotectResult =
  | { readonly ok: true; readonly sessionKey: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Signs session keys with HMAC-SHA256 under a key ring: the newest key signs, every key verifies, so keys
 * can be rotated without logging anybody out. The cookie carries `<sessionKey>.<keyId>.<mac>`; only the
 * session key is in it, never session data.
 */
export class CookieProtector {
  private readonly byId: ReadonlyMap<string, ProtectionKey>;
  /** Cookie value → session key, for values that verified under this ring. */
  private readonly verified = new Map<string, string>();

  constructor(private readonly keys: readonly ProtectionKey[]) {
    if (keys.length === 0) throw new Error('A cookie-protection key ring needs at least one key.');
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  get signingKeyId(): string {
    return (this.keys[0] as ProtectionKey).id;
  }

  protect(sessionKey: string): string {
    const key = this.keys[0] as ProtectionKey;
    return `${sessionKey}.${key.id}.${mac(key, sessionKey).toString('base64url')}`;
  }

  unprotect(value: string): UnprotectResult {
    const known = this.verified.get(value);
    if (known !== undefined) return { ok: true, sessionKey: known };
    const result = this.verify(value);
    if (result.ok) {
      // Dropping the oldest entry keeps the map bounded; Map iterates in insertion order.
      if (this.verified.size >= VERIFIED_COOKIE_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(value, result.sessionKey);
    }
    return result;
  }

  private verify(value: string): UnprotectResult {
    if (value.length > MAX_PROTECTED_COOKIE_LENGTH) return { ok: false, reason: 'the cookie value is too long' };
    const parts = value.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'the cookie value is malformed' };
    const [sessionKey, keyId, signature] = parts as [string, string, string];
    if (!SESSION_KEY.test(sessionKey)) return { ok: false, reason: 'the cookie carries no valid session key' };
    const key = this.byId.get(keyId);
    if (key === undefined) {
      // The id comes from the client, %-decoded: echoing anything but a plain token would let it forge log lines.
      const shown = PRINTABLE_KEY_ID.test(keyId) ? keyId : '(not a valid key id)';
      return { ok: false, reason: `the key ${shown} was not found in the key ring` };
    }
    const expected = mac(key, sessionKey);
    const given = Buffer.from(signature, 'base64url');
    // Node's decoder skips invalid characters and ignores the unused low bits of the last one, so several
    // spellings decode to the same MAC; only the canonical one that protect() writes is accepted.
    if (given.length !== expected.length || given.toString('base64url') !== signature || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'the cookie signature does not match' };
    }
    return { ok: true, sessionKey };
  }
}

function mac(key: ProtectionKey, sessionKey: string): Buffer {
  return createHmac('sha256', key.secret).update(PURPOSE).update('\0').update(key.id).update('\0').update(sessionKey).digest();
}

export function protectionKey(id: string, secret: Buffer): ProtectionKey {
  return Object.freeze({ id, secret: createSecretKey(secret) });
}
