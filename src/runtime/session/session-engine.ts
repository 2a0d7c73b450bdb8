import { CacheUnavailableError, settleFrom } from '../cache/distributed-cache.ts';
import { DeadlineQueue } from '../timing/deadline-queue.ts';
import type { CacheReceiver, DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../cache/distributed-cache.ts';
import type { KrRequest } from '../context/kr-request.ts';
import type { CookieBuilder } from '../cookies/cookie-builder.ts';
import type { SessionDefinition } from '../host/server-definition.ts';
import type { KrLogger } from '../logging/kr-logger.ts';
import type { CookieProtector } from './cookie-protection.ts';
import { explicitProtector, SharedKeyRing } from './key-ring.ts';
import { RequestSession } from './request-session.ts';

/**
 * A load or commit waiting for the store: settled once, by the store or by its IOTimeout deadline. A class
 * rather than closures: tsx names every closure it creates, which is a defineProperty per closure per request.
 */
class TimedStoreCall<T, R> implements CacheReceiver<T> {
  settled = false;

  constructor(
    private readonly resolve: (value: R | PromiseLike<R>) => void,
    private readonly reject: (error: unknown) => void,
    private readonly onValue: (value: T) => R | PromiseLike<R>,
    private readonly onError: (error: unknown) => R | PromiseLike<R>,
    private readonly timeoutMessage: string,
  ) {}

  fulfil(value: T): void {
    this.settle(this.onValue, value);
  }

  fail(error: unknown): void {
    this.settle(this.onError, error);
  }

  expire(): void {
    this.fail(new CacheUnavailableError(this.timeoutMessage));
  }

  private settle<A>(handler: (argument: A) => R | PromiseLike<R>, argument: A): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.resolve(handler(argument));
    } catch (error) {
      this.reject(error);
    }
  }
}

const keepValue = <T>(value: T): T => value;
const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * Everything the sessions of one server share: the store, the cookie, the timeouts and the cookie-protection
 * keys. Opening a request's session costs one small object; all I/O waits until a route touches it.
 */
export class SessionEngine {
  readonly cookie: CookieBuilder;
  readonly trustProxy: boolean;
  readonly failOnStoreError: boolean;
  readonly getOptions: DistributedCacheGetOptions;
  readonly setOptions: DistributedCacheEntryOptions;
  private readonly ioDeadlines: DeadlineQueue<TimedStoreCall<unknown, unknown>>;
  private readonly cookieName: string;
  private readonly fixedProtector: CookieProtector | undefined;
  private readonly sharedRing: SharedKeyRing | undefined;

  constructor(
    definition: SessionDefinition,
    readonly cache: DistributedCache,
    readonly logger: KrLogger,
  ) {
    this.cookie = definition.cookie;
    this.cookieName = (definition.cookie.name ?? '').toLowerCase();
    this.trustProxy = definition.trustProxy;
    this.failOnStoreError = definition.storeErrorMode === 'Fail';
    this.ioDeadlines = new DeadlineQueue(definition.ioTimeoutMs, {
      isPending: (operation) => !operation.settled,
      expire: (operation) => operation.expire(),
    });
    this.getOptions = Object.freeze({ expectedSlidingMs: definition.idleTimeoutMs });
    this.setOptions = Object.freeze({ slidingExpirationMs: definition.idleTimeoutMs });
    if (definition.protectionKeys.length > 0) this.fixedProtector = explicitProtector(definition.protectionKeys);
    else this.sharedRing = new SharedKeyRing(cache);
  }

  open(request: KrRequest): RequestSession {
    return new RequestSession(this, request);
  }

  /** The cache key of a session; the cache itself adds its instance name. */
  storeKey(sessionKey: string): string {
    return sessionKey;
  }

  protector(): CookieProtector | Promise<CookieProtector> {
    if (this.fixedProtector !== undefined) return this.fixedProtector;
    const ring = this.sharedRing as SharedKeyRing;
    return (
      ring.ready ??
      this.withIoTimeout(
        (receiver: CacheReceiver<CookieProtector>) => settleFrom(ring.load(), receiver),
        'Loading the cookie-protection key ring timed out.',
        keepValue,
        rethrow,
      )
    );
  }

  /**
   * The session key the request's cookie carries, or undefined when there is none or it does not verify.
   * A tampered, forged, truncated or oversized cookie starts a new session with a warning, never an error.
   * Synchronous once the key ring is loaded, which is every request but the first ones.
   */
  readSessionKey(request: KrRequest): string | undefined | Promise<string | undefined> {
    const value = request.cookie(this.cookieName);
    if (value === undefined) return undefined;
    const protector = this.protector();
    return protector instanceof Promise ? protector.then((ready) => this.verify(ready, value)) : this.verify(protector, value);
  }

  private verify(protector: CookieProtector, value: string): string | undefined {
    const result = protector.unprotect(value);
    if (result.ok) return result.sessionKey;
    this.logger.warning(`Error unprotecting the session cookie: ${result.reason}. A new session is started.`);
    return undefined;
  }

  /**
   * IOTimeout bounds every load and commit, whatever the store does: past it, the operation counts as failed with
   * CacheUnavailableError. `start` begins the operation and reports to the receiver it is given; the outcome goes
   * through `onValue` or `onError` inside the one promise this returns, since on the session path every promise
   * layer is measurable.
   */
  withIoTimeout<T, R>(
    start: (receiver: CacheReceiver<T>) => void,
    timeoutMessage: string,
    onValue: (value: T) => R | PromiseLike<R>,
    onError: (error: unknown) => R | PromiseLike<R>,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const call = new TimedStoreCall(resolve, reject, onValue, onError, timeoutMessage);
      this.ioDeadlines.add(call as TimedStoreCall<unknown, unknown>);
      try {
        start(call);
      } catch (error) {
        call.fail(error);
      }
    });
  }
}
