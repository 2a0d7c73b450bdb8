/**
 * Sessions with a store the test controls. The real route pipeline (routeHandler: route, session commit,
 * 503 mapping, buffered response) runs in a Hono app over a SessionEngine built on a cache the test passes in, so a
 * test can count store calls, look at the stored bytes, stall the store, or share one store between two engines,
 * which an in-process server (whose cache is private) cannot do. Requests go through `app.request`, without sockets.
 *
 *   const cache = new CountingCache(new MemoryDistributedCache());
 *   const app = sessionApp({ cache, routes: { '/count': async () => { ... } } });
 *   const first = await app.request('/count', { jar });
 */
import { Hono } from 'hono';
import type { DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../../src/runtime/cache/distributed-cache.ts';
import { sessionCookieBuilder } from '../../src/runtime/cookies/cookie-builder.ts';
import { hostRecord } from '../../src/runtime/host/host-registry.ts';
import type { RouteHandler, SessionDefinition } from '../../src/runtime/host/server-definition.ts';
import { getDefaultLogger } from '../../src/runtime/logging/logger-manager.ts';
import { routeHandler } from '../../src/runtime/pipeline/route-dispatch.ts';
import { explicitProtector } from '../../src/runtime/session/key-ring.ts';
import { SessionEngine } from '../../src/runtime/session/session-engine.ts';
import { createSessionKey } from '../../src/runtime/session/session-format.ts';
import { CaptureLogger } from './capture-logger.ts';
import { CookieJar } from './https-client.ts';

export type CacheOperation = 'get' | 'set' | 'refresh' | 'remove' | 'getOrCreateShared' | 'setShared';

export interface CacheCall {
  readonly operation: CacheOperation;
  readonly key: string;
}

/**
 * A DistributedCache that forwards to another one and records every call. `stall` makes chosen operations return
 * promises that never settle, as a store that accepted the connection but never answers.
 */
export class CountingCache implements DistributedCache {
  readonly description: string;
  readonly calls: CacheCall[] = [];
  readonly stalled = new Set<CacheOperation>();
  /** Milliseconds every call waits before it reaches the inner cache, as over a network. */
  latencyMs = 0;

  constructor(readonly inner: DistributedCache) {
    this.description = `counting ${inner.description}`;
  }

  /** How many calls of these operations were made (all operations when none are named). */
  count(...operations: CacheOperation[]): number {
    return this.calls.filter((call) => operations.length === 0 || operations.includes(call.operation)).length;
  }

  /** Forgets the calls recorded so far, so a test can count one request's calls. */
  reset(): void {
    this.calls.length = 0;
  }

  stall(...operations: CacheOperation[]): void {
    for (const operation of operations) this.stalled.add(operation);
  }

  private record<T>(operation: CacheOperation, key: string, forward: () => Promise<T>): Promise<T> {
    this.calls.push({ operation, key });
    if (this.stalled.has(operation)) return new Promise<T>(() => {});
    if (this.latencyMs > 0) return new Promise((resolve) => setTimeout(resolve, this.latencyMs)).then(forward);
    return forward();
  }

  get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null> {
    return this.record('get', key, () => this.inner.get(key, options));
  }
  set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void> {
    return this.record('set', key, () => this.inner.set(key, value, options));
  }
  refresh(key: string): Promise<void> {
    return this.record('refresh', key, () => this.inner.refresh(key));
  }
  remove(key: string): Promise<void> {
    return this.record('remove', key, () => this.inner.remove(key));
  }
  getOrCreateShared(name: string, candidate: string): Promise<string> {
    return this.record('getOrCreateShared', name, () => this.inner.getOrCreateShared(name, candidate));
  }
  setShared(name: string, value: string): Promise<void> {
    return this.record('setShared', name, () => this.inner.setShared(name, value));
  }
  connect(): Promise<void> {
    return this.inner.connect();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Add-KrSession's defaults, as a SessionDefinition, with the given fields replaced. */
export function sessionDefinition(overrides: Partial<SessionDefinition> = {}): SessionDefinition {
  return {
    cookie: sessionCookieBuilder,
    idleTimeoutMs: 20 * 60_000,
    ioTimeoutMs: 60_000,
    storeErrorMode: 'Fail',
    protectionKeys: [],
    trustProxy: false,
    ...overrides,
  };
}

export interface HarnessResult {
  readonly status: number;
  /** Lower-case names; Set-Cookie is in setCookies instead. */
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookies: readonly string[];
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface HarnessRequest {
  readonly jar?: CookieJar;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: string;
}

export interface SessionApp {
  readonly engine: SessionEngine;
  readonly logger: CaptureLogger;
  request(path: string, options?: HarnessRequest): Promise<HarnessResult>;
}

export interface SessionAppOptions {
  readonly cache: DistributedCache;
  readonly routes: Readonly<Record<string, RouteHandler>>;
  readonly session?: Partial<SessionDefinition>;
  /** Another app's engine settings are not shared: each app gets its own engine over `cache`. */
  readonly logger?: CaptureLogger;
}

let harnessCount = 0;

/** A Hono app whose GET routes run through the real dispatcher, with sessions on `options.cache`. */
export function sessionApp(options: SessionAppOptions): SessionApp {
  const logger = options.logger ?? new CaptureLogger();
  const session = sessionDefinition(options.session);
  const engine = new SessionEngine(session, options.cache, logger);
  // Never registered in the host registry: the dispatcher only reads the definition's name and logger.
  const record = hostRecord(
    {
      kind: 'KrServer',
      name: `session-harness-${++harnessCount}`,
      environment: 'Test',
      logger,
      endpoints: [],
      cache: undefined,
      session,
      routes: [],
    },
    'running',
  );
  const app = new Hono();
  for (const [path, scriptBlock] of Object.entries(options.routes)) {
    app.on(['GET', 'POST'], path, routeHandler(record, { verbs: ['Get', 'Post'], pattern: path, scriptBlock }, engine));
  }
  return {
    engine,
    logger,
    async request(path, requestOptions = {}) {
      const cookie = requestOptions.jar?.header();
      const response = await app.request(path, {
        method: requestOptions.method ?? 'GET',
        headers: { ...(cookie === undefined ? {} : { cookie }), ...requestOptions.headers },
      });
      const setCookies = response.headers.getSetCookie();
      requestOptions.jar?.store(setCookies);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const body = await response.text();
      return { status: response.status, headers, setCookies, body, json: <T>() => JSON.parse(body) as T };
    },
  };
}

/** The session key a `<sessionKey>.<keyId>.<mac>` cookie value carries: the store key of its session. */
export function sessionKeyOf(cookieValue: string | undefined): string {
  const key = cookieValue?.split('.')[0];
  if (key === undefined || key === '') throw new Error(`No session cookie value: ${String(cookieValue)}`);
  return key;
}

/** The value of the named cookie in a list of Set-Cookie headers, or undefined. */
export function setCookieValue(setCookies: readonly string[], name: string): string | undefined {
  for (const header of setCookies) {
    const pair = header.split(';')[0] ?? '';
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals) === name) return pair.slice(equals + 1);
  }
  return undefined;
}

/**
 * Runs `run` while recording what the process-wide default logger is told at Warning level: where route cmdlets
 * called outside a route report themselves. The logger's own method is put back afterwards.
 */
export async function defaultLoggerWarnings<T>(run: () => T | Promise<T>): Promise<{ readonly result: T; readonly warnings: string[] }> {
  const logger = getDefaultLogger();
  const warnings: string[] = [];
  const hadOwn = Object.prototype.hasOwnProperty.call(logger, 'warning');
  const original = logger.warning;
  logger.warning = (message: string) => {
    warnings.push(message);
  };
  try {
    return { result: await run(), warnings };
  } finally {
    if (hadOwn) logger.warning = original;
    else delete (logger as { warning?: unknown }).warning;
  }
}

export const SESSION_COOKIE = '.AspNetCore.Session';

/** The blob a client's session has in the store, found through the session key its cookie carries. */
export async function storedSession(cache: DistributedCache, jar: CookieJar, cookieName = SESSION_COOKIE): Promise<Buffer | null> {
  const inner = cache instanceof CountingCache ? cache.inner : cache;
  return inner.get(sessionKeyOf(jar.get(cookieName)));
}

/**
 * A revision-2 session blob built by hand, as a .NET application would store it: 20-byte header (revision, count,
 * id), then each key and value with their big-endian lengths. Independent of the serializer under test.
 */
export function dotnetSessionBlob(entries: ReadonlyArray<readonly [string, Buffer]>, id = Buffer.alloc(16, 0xab)): Buffer {
  const header = Buffer.alloc(4);
  header[0] = 2;
  header.writeUIntBE(entries.length, 1, 3);
  const parts: Buffer[] = [header, id];
  for (const [key, value] of entries) {
    const keyBytes = Buffer.from(key, 'utf8');
    const keyLength = Buffer.alloc(2);
    keyLength.writeUInt16BE(keyBytes.length);
    const valueLength = Buffer.alloc(4);
    valueLength.writeUInt32BE(value.length);
    parts.push(keyLength, keyBytes, valueLength, value);
  }
  return Buffer.concat(parts);
}

/**
 * Puts a blob into the store under a fresh session key and returns a jar whose cookie names that session, signed
 * with `secret`: the app must be built with `session: { protectionKeys: [secret] }`.
 */
export async function seedSession(cache: DistributedCache, blob: Buffer, secret: string, jar = new CookieJar()): Promise<CookieJar> {
  const inner = cache instanceof CountingCache ? cache.inner : cache;
  const sessionKey = createSessionKey();
  await inner.set(sessionKey, blob, { slidingExpirationMs: 20 * 60_000 });
  jar.set(SESSION_COOKIE, explicitProtector([secret]).protect(sessionKey));
  return jar;
}
