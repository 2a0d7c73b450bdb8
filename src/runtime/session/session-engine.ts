import { CacheUnavailableError } from '../cache/distributed-cache.ts';
import type { DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../cache/distributed-cache.ts';
import { IoDeadline } from '../timing/io-deadline.ts';
import type { KrRequest } from '../context/kr-request.ts';
import type { CookieBuilder } from '../cookies/cookie-builder.ts';
import type { SessionDefinition } from './session-definition.ts';
import type { KrLogger } from '../logging/kr-logger.ts';
import type { CookieProtector } from './cookie-protection.ts';
import { explicitProtector, SharedKeyRing } from './key-ring.ts';

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
  private readonly ioDeadline: IoDeadline;
  /** A store failure since the last answer: later failures of the same outage are logged without their stack. */
  private inOutage = false;
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
    this.ioDeadline = new IoDeadline(definition.ioTimeoutMs, (message) => new CacheUnavailableError(message));
    this.getOptions = Object.freeze({ expectedSlidingMs: definition.idleTimeoutMs });
    this.setOptions = Object.freeze({ slidingExpirationMs: definition.idleTimeoutMs });
    if (definition.protectionKeys.length > 0) this.fixedProtector = explicitProtector(definition.protectionKeys);
    else this.sharedRing = new SharedKeyRing(cache);
  }

  /** The cache key of a session; the cache itself adds its instance name. */
  storeKey(sessionKey: string): string {
    return sessionKey;
  }

  /** The cookie-protection keys when they are at hand, which is always but while the shared ring first loads. */
  readyProtector(): CookieProtector | undefined {
    return this.fixedProtector ?? (this.sharedRing as SharedKeyRing).ready;
  }

  loadProtector(): Promise<CookieProtector> {
    return this.withIoTimeout((this.sharedRing as SharedKeyRing).load(), 'Loading the cookie-protection key ring timed out.');
  }

  /** The request's session cookie, still protected, or undefined when it has none. */
  sessionCookie(request: KrRequest): string | undefined {
    return request.cookie(this.cookieName);
  }

  /**
   * The session key a protected cookie carries, or undefined when it does not verify: a tampered, forged, truncated
   * or oversized cookie starts a new session with a warning, never an error.
   */
  unprotect(protector: CookieProtector, cookie: string): string | undefined {
    const result = protector.unprotect(cookie);
    if (result.ok) return result.sessionKey;
    this.logger.warning(`Error unprotecting the session cookie: ${result.reason}. A new session is started.`);
    return undefined;
  }

  /** IOTimeout bounds every load and commit, whatever the store does: past it, the operation fails with CacheUnavailableError. */
  withIoTimeout<T>(operation: Promise<T>, timeoutMessage: string): Promise<T> {
    return this.ioDeadline.race(operation, timeoutMessage);
  }

  /** The store answered: the next failure starts a new outage. */
  storeAnswered(): void {
    this.inOutage = false;
  }

  /**
   * Logs a failed load or commit as ASP.NET Core does, but once per outage with its stack. Later failures get one
   * short line while the request still succeeds (Degrade); with Fail, the request's 503 line says it already.
   */
  storeFailed(message: string, error: unknown): void {
    if (!this.inOutage) {
      this.inOutage = true;
      this.logger.error(message, error);
    } else if (!this.failOnStoreError) {
      this.logger.error(`${message}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
