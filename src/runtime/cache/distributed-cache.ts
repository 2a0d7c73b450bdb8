/**
 * The shape of ASP.NET Core's IDistributedCache (and connect-redis's store), asynchronous only: Node has no
 * synchronous I/O. Every session store (in-memory, Redis) implements it, so the session engine never knows which one
 * it talks to. How a store talks to its server (batching, scripts, encodings) stays inside it.
 */
export interface DistributedCacheEntryOptions {
  /** Sliding window in milliseconds: every read or refresh moves the expiry this far into the future. */
  readonly slidingExpirationMs?: number;
  /** A fixed point in time after which the entry is gone, whatever the sliding window says. */
  readonly absoluteExpiration?: Date;
  /** The same as absoluteExpiration, given relative to the time of the set. */
  readonly absoluteExpirationRelativeToNowMs?: number;
}

export interface DistributedCacheGetOptions {
  /**
   * The sliding window the caller expects the entry to carry. A store that must otherwise read the entry's
   * metadata before it can refresh it (Redis) may refresh with this value in the same round trip as the read,
   * and correct the expiry afterwards in the rare case that the stored window differs.
   */
  readonly expectedSlidingMs?: number;
}

export interface DistributedCache {
  /** A short human description for logs, for example `redis 127.0.0.1:6379` or `memory`. Never holds secrets. */
  readonly description: string;
  /** Returns the value, or null when it is missing or expired. A hit slides the entry's expiry. */
  get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null>;
  set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void>;
  /** Slides the expiry of an existing entry; a missing key is a no-op. */
  refresh(key: string): Promise<void>;
  remove(key: string): Promise<void>;
  /**
   * Stores `candidate` under `name` unless a value is already there, atomically, and returns whichever value won.
   * Instances sharing a store use it to agree on shared secrets such as the cookie-protection key ring.
   */
  getOrCreateShared(name: string, candidate: string): Promise<string>;
  /** Replaces a shared value created with getOrCreateShared (key-ring rotation). */
  setShared(name: string, value: string): Promise<void>;
  /** Connects, when the store has a connection. Rejects with CacheUnavailableError when it cannot. */
  connect(): Promise<void>;
  /** Releases timers and connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The store could not be reached or did not answer in time. The session engine turns it into a 503,
 * because a write that was not stored must never be answered with a success.
 */
export class CacheUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheUnavailableError';
  }
}
