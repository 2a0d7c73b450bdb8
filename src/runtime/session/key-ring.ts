import { createHash, randomBytes } from 'node:crypto';
import type { DistributedCache } from '../cache/distributed-cache.ts';
import { CookieProtector, protectionKey } from './cookie-protection.ts';
import type { ProtectionKey } from './cookie-protection.ts';

/** Where the shared ring lives, next to the sessions under the cache's instance name. */
export const KEY_RING_NAME = 'DataProtection-Keys';
/** Instances re-read the shared ring this often, so a rotation done on one reaches all of them. */
export const KEY_RING_REFRESH_MS = 5 * 60_000;
const SECRET_BYTES = 32;

interface StoredKey {
  readonly id: string;
  readonly secret: string;
  readonly created: string;
}

interface StoredKeyRing {
  readonly version: 1;
  /** Newest first: the first key signs. */
  readonly keys: readonly StoredKey[];
}

export function newStoredKeyRing(now = new Date()): string {
  const ring: StoredKeyRing = {
    version: 1,
    keys: [{ id: randomBytes(4).toString('hex'), secret: randomBytes(SECRET_BYTES).toString('base64'), created: now.toISOString() }],
  };
  return JSON.stringify(ring);
}

function parseStoredKeyRing(text: string): readonly ProtectionKey[] {
  const ring = JSON.parse(text) as Partial<StoredKeyRing>;
  if (ring.version !== 1 || !Array.isArray(ring.keys) || ring.keys.length === 0) {
    throw new Error(`The shared cookie-protection key ring '${KEY_RING_NAME}' is not in a format this version understands.`);
  }
  return ring.keys.map((key) => {
    const secret = Buffer.from(String(key.secret), 'base64');
    if (typeof key.id !== 'string' || secret.length < 16) {
      throw new Error(`The shared cookie-protection key ring '${KEY_RING_NAME}' holds an invalid key.`);
    }
    return protectionKey(key.id, secret);
  });
}

/** Keys given explicitly (newest first): their ids derive from the secret, so every instance agrees on them. */
export function explicitProtector(secrets: readonly string[]): CookieProtector {
  return new CookieProtector(
    secrets.map((secret) => protectionKey(createHash('sha256').update(secret).digest('hex').slice(0, 8), Buffer.from(secret, 'utf8'))),
  );
}

/**
 * The cookie-protection key ring kept in the session store itself: the first instance to need it creates it
 * atomically, every other instance (and every restart) reads the same one, so a cookie issued by one
 * instance is accepted by all of them.
 */
export class SharedKeyRing {
  private current: CookieProtector | undefined;
  /** The stored form of `current`, offered again if the store lost the ring (a Redis restart without persistence). */
  private currentText: string | undefined;
  private loadedAt = 0;
  private pending: Promise<CookieProtector> | undefined;

  constructor(
    private readonly cache: DistributedCache,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The ring when it is loaded and fresh, so the hot path needs no promise. */
  get ready(): CookieProtector | undefined {
    if (this.current !== undefined && this.clock() - this.loadedAt >= KEY_RING_REFRESH_MS) void this.load().catch(() => {});
    return this.current;
  }

  load(): Promise<CookieProtector> {
    this.pending ??= this.cache
      .getOrCreateShared(KEY_RING_NAME, this.currentText ?? newStoredKeyRing())
      .then((text) => {
        // An unchanged ring keeps its protector, and with it the cookies that protector already verified.
        if (text !== this.currentText || this.current === undefined) this.current = new CookieProtector(parseStoredKeyRing(text));
        this.currentText = text;
        this.loadedAt = this.clock();
        return this.current;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
