/**
 * The shape of ASP.NET Core's IDistributedCache, asynchronous only: Node has no synchronous I/O.
 * Every session store (in-memory, Redis) implements it, so the session engine never knows which one it talks to.
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

/** Where a store reports the outcome of one call made without a promise. Exactly one of the two is called, once. */
export interface CacheReceiver<T> {
  fulfil(value: T): void;
  fail(error: unknown): void;
}

export interface DistributedCache {
  /** A short human description for logs, for example `redis 127.0.0.1:6379` or `memory`. Never holds secrets. */
  readonly description: string;
  /** Returns the value, or null when it is missing or expired. A hit slides the entry's expiry. */
  get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null>;
  set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void>;
  /**
   * get and set, reporting to a receiver instead of returning a promise. The session engine loads and commits
   * through these: on a session request every promise layer is measurable, and a store's promise with the engine's
   * `.then` on it would be two more per round trip.
   */
  getInto(key: string, options: DistributedCacheGetOptions | undefined, receiver: CacheReceiver<Buffer | null>): void;
  setInto(key: string, value: Buffer, options: DistributedCacheEntryOptions, receiver: CacheReceiver<void>): void;
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

/** A call made with a receiver, as a promise: what get and set are to every caller but the session engine. */
export function promiseOf<T>(call: (receiver: CacheReceiver<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call({ fulfil: resolve, fail: reject }));
}

/** Reports what `compute` returns, or what it throws, to a receiver. */
export function settleWith<T>(receiver: CacheReceiver<T>, compute: () => T): void {
  let value: T;
  try {
    value = compute();
  } catch (error) {
    receiver.fail(error);
    return;
  }
  receiver.fulfil(value);
}

/** Reports a promise's outcome to a receiver. */
export function settleFrom<T>(promise: Promise<T>, receiver: CacheReceiver<T>): void {
  promise.then(
    (value) => receiver.fulfil(value),
    (error: unknown) => receiver.fail(error),
  );
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
