import type { CookieBuilder } from '../cookies/cookie-builder.ts';

/** What a session does when its store fails: refuse the request (503) or degrade as ASP.NET Core does. */
export type SessionStoreErrorMode = 'Fail' | 'Degrade';

export interface SessionDefinition {
  readonly cookie: CookieBuilder;
  readonly idleTimeoutMs: number;
  readonly ioTimeoutMs: number;
  readonly storeErrorMode: SessionStoreErrorMode;
  /** Explicit cookie-protection secrets, newest first; empty means a key ring kept in the cache. */
  readonly protectionKeys: readonly string[];
  /** Count X-Forwarded-Proto when deciding whether a request came over HTTPS. */
  readonly trustProxy: boolean;
}
