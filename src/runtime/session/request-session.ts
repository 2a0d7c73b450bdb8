import { randomBytes } from 'node:crypto';
import { CacheUnavailableError } from '../cache/distributed-cache.ts';
import type { KrRequest } from '../context/kr-request.ts';
import type { KrResponse } from '../context/kr-response.ts';
import { renderSetCookie } from '../cookies/cookie-builder.ts';
import {
  deserializeSession,
  MAX_ENTRIES,
  MAX_KEY_UTF8_LENGTH,
  MAX_SERIALIZED_SESSION_BYTES,
  serializeSession,
  SESSION_ID_LENGTH,
  createSessionKey,
} from './session-format.ts';
import type { CookieProtector } from './cookie-protection.ts';
import type { SessionEngine } from './session-engine.ts';

/** Size of the blob header: revision, count and id. */
const EMPTY_SESSION_BYTES = 1 + 3 + SESSION_ID_LENGTH;
const ENTRY_OVERHEAD_BYTES = 2 + 4;

type LoadState = 'unloaded' | 'loaded' | 'unavailable';

/** Makes the error a cmdlet reports when a write would break a session limit. */
export type SessionLimitRefusal = (message: string) => Error;

/**
 * One request's view of its session, with ASP.NET Core DistributedSession's semantics: nothing is read until
 * a session cmdlet asks, a new session gets its cookie only when something is first stored in it, and the
 * whole dictionary is written back only when it was modified.
 */
export class RequestSession {
  private state: LoadState = 'unloaded';
  private loading: Promise<void> | undefined;
  private sessionKey = '';
  private isNewKey = false;
  private entries = new Map<string, Buffer>();
  private id: Buffer | undefined;
  private serializedSize = EMPTY_SESSION_BYTES;
  private modified = false;
  private establish = false;

  constructor(
    private readonly engine: SessionEngine,
    private readonly request: KrRequest,
  ) {}

  /** The value under `key` as `decode` turns it, after loading the session if this is its first use. */
  read<T>(key: string, decode: (bytes: Buffer | undefined) => T): Promise<T> {
    return this.afterLoad(() => decode(this.entries.get(key)));
  }

  keys(): Promise<readonly string[]> {
    return this.afterLoad(() => [...this.entries.keys()]);
  }

  write(key: string, value: Uint8Array, refuse: SessionLimitRefusal): Promise<void> {
    const keyBytes = Buffer.byteLength(key, 'utf8');
    if (keyBytes > MAX_KEY_UTF8_LENGTH) {
      return Promise.reject(refuse(`The key cannot be longer than '${MAX_KEY_UTF8_LENGTH}' when encoded with UTF-8.`));
    }
    return this.afterLoad(() => this.store(key, value, keyBytes, refuse));
  }

  remove(key: string): Promise<void> {
    return this.afterLoad(() => {
      const previous = this.entries.get(key);
      if (previous === undefined) return;
      this.entries.delete(key);
      this.serializedSize -= entrySize(key, previous);
      this.modified = true;
    });
  }

  /** Empties the session but keeps its key and cookie; an empty session is stored only if it had entries. */
  clear(): Promise<void> {
    return this.afterLoad(() => {
      if (this.entries.size === 0) return;
      this.entries.clear();
      this.serializedSize = EMPTY_SESSION_BYTES;
      this.modified = true;
    });
  }

  /**
   * Writes a modified session (one round trip) and, for a session established by this request, adds its cookie.
   * Rejects when the write failed and the store-error mode is Fail. A session that was only read needs nothing
   * more: its load already slid the expiry.
   */
  async commit(response: KrResponse): Promise<void> {
    if (this.loading === undefined) return;
    if (this.state === 'unloaded') {
      // A load the route started without awaiting it: commit once it is done. Its failure already reached the route.
      try {
        await this.loading;
      } catch {
        return;
      }
    }
    if (!this.modified || this.state !== 'loaded') return;
    const engine = this.engine;
    this.id ??= randomBytes(SESSION_ID_LENGTH);
    const blob = serializeSession(this.id, this.entries);
    try {
      await engine.withIoTimeout(engine.cache.set(engine.storeKey(this.sessionKey), blob, engine.setOptions), 'Committing the session timed out.');
    } catch (error) {
      engine.storeFailed('Error closing the session.', error);
      if (engine.failOnStoreError) throw asUnavailable(error);
      return;
    }
    this.stored();
    if (this.establish) this.addCookie(response, engine.readyProtector() ?? (await engine.loadProtector()));
  }

  /** Runs `action` on the loaded session, loading it first if need be. */
  private async afterLoad<T>(action: () => T): Promise<T> {
    if (this.state !== 'loaded') await this.ensureLoaded();
    return action();
  }

  /** Loads on first use; later calls share the same load. */
  private ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    const engine = this.engine;
    let blob: Buffer | null;
    try {
      const cookie = engine.sessionCookie(this.request);
      const existingKey = cookie === undefined ? undefined : engine.unprotect(engine.readyProtector() ?? (await engine.loadProtector()), cookie);
      this.isNewKey = existingKey === undefined;
      this.sessionKey = existingKey ?? createSessionKey();
      if (this.isNewKey) {
        this.state = 'loaded';
        return;
      }
      blob = await engine.withIoTimeout(engine.cache.get(engine.storeKey(this.sessionKey), engine.getOptions), 'Loading the session timed out.');
    } catch (error) {
      this.loadFailed(error);
      return;
    }
    engine.storeAnswered();
    this.adopt(blob);
    this.state = 'loaded';
  }

  /** ASP.NET Core logs a failed load; the session is then unavailable, and with Fail the route fails too. */
  private loadFailed(error: unknown): void {
    this.state = 'unavailable';
    this.engine.storeFailed(`Session cache read exception, Key:${this.sessionKey}`, error);
    if (this.engine.failOnStoreError) throw asUnavailable(error);
  }

  private adopt(blob: Buffer | null): void {
    if (blob === null) {
      this.engine.logger.information(`Accessing expired session, Key:${this.sessionKey}`);
      return;
    }
    let stored: ReturnType<typeof deserializeSession>;
    try {
      stored = deserializeSession(blob);
    } catch (error) {
      // A truncated or corrupt blob cannot heal: failing the load would lock the client out for as long as its
      // visits keep sliding the entry's expiry. Its data is lost either way, so it is replaced like an unknown revision.
      this.engine.logger.warning(`The stored session is corrupt and is replaced by an empty one, Key:${this.sessionKey}`, error);
      this.modified = true;
      return;
    }
    if (stored === null) {
      // An unreadable revision is replaced by an empty session at commit, as ASP.NET Core does.
      this.modified = true;
      return;
    }
    this.id = stored.id;
    this.entries = stored.entries;
    for (const [key, value] of stored.entries) this.serializedSize += entrySize(key, value);
  }

  private store(key: string, value: Uint8Array, keyBytes: number, refuse: SessionLimitRefusal): void {
    if (this.state !== 'loaded') return; // ASP.NET Core drops writes to an unavailable session.
    const previous = this.entries.get(key);
    const projected =
      this.serializedSize + ENTRY_OVERHEAD_BYTES + keyBytes + value.length - (previous === undefined ? 0 : entrySize(key, previous));
    if (projected > MAX_SERIALIZED_SESSION_BYTES) {
      throw refuse(`Storing '${key}' would make the session ${projected} bytes, more than the limit of ${MAX_SERIALIZED_SESSION_BYTES} bytes.`);
    }
    if (previous === undefined && this.entries.size >= MAX_ENTRIES) {
      throw refuse(`A session holds at most ${MAX_ENTRIES} entries.`);
    }
    if (this.isNewKey) this.establish = true;
    this.modified = true;
    this.serializedSize = projected;
    this.entries.set(key, Buffer.from(value));
  }

  private stored(): void {
    const engine = this.engine;
    engine.storeAnswered();
    this.modified = false;
    if (engine.logger.isEnabled('Debug')) {
      engine.logger.debug(`Session stored; Key:${this.sessionKey}, Count:${this.entries.size}`);
    }
  }

  private addCookie(response: KrResponse, protector: CookieProtector): void {
    const engine = this.engine;
    response.addHeader('set-cookie', renderSetCookie(engine.cookie, protector.protect(this.sessionKey), this.request.isHttps(engine.trustProxy), new Date()));
    response.setHeader('cache-control', 'no-cache,no-store');
    response.setHeader('pragma', 'no-cache');
    response.setHeader('expires', '-1');
  }
}

function entrySize(key: string, value: Buffer): number {
  return ENTRY_OVERHEAD_BYTES + Buffer.byteLength(key, 'utf8') + value.length;
}

function asUnavailable(error: unknown): CacheUnavailableError {
  return error instanceof CacheUnavailableError
    ? error
    : new CacheUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
}
