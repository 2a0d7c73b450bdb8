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
  SessionLimitError,
  createSessionKey,
} from './session-format.ts';
import type { SessionEngine } from './session-engine.ts';

/** Size of the blob header: revision, count and id. */
const EMPTY_SESSION_BYTES = 1 + 3 + SESSION_ID_LENGTH;
const ENTRY_OVERHEAD_BYTES = 2 + 4;

type LoadState = 'unloaded' | 'loaded' | 'unavailable';

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

  /** Loads on first use; later calls share the same load. */
  private ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    const engine = this.engine;
    try {
      const pendingKey = engine.readSessionKey(this.request);
      const existingKey = pendingKey instanceof Promise ? await pendingKey : pendingKey;
      this.isNewKey = existingKey === undefined;
      this.sessionKey = existingKey ?? createSessionKey();
      if (!this.isNewKey) {
        const blob = await engine.withIoTimeout(engine.cache.get(engine.storeKey(this.sessionKey), engine.getOptions), 'Loading the session timed out.');
        this.adopt(blob);
      }
      this.state = 'loaded';
    } catch (error) {
      this.state = 'unavailable';
      engine.logger.error(`Session cache read exception, Key:${this.sessionKey}`, error);
      if (engine.failOnStoreError) throw asUnavailable(error);
    }
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

  async get(key: string): Promise<Buffer | null> {
    await this.ensureLoaded();
    return this.entries.get(key) ?? null;
  }

  async keys(): Promise<readonly string[]> {
    await this.ensureLoaded();
    return [...this.entries.keys()];
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    const keyBytes = Buffer.byteLength(key, 'utf8');
    if (keyBytes > MAX_KEY_UTF8_LENGTH) {
      throw new SessionLimitError(`The key cannot be longer than '${MAX_KEY_UTF8_LENGTH}' when encoded with UTF-8.`);
    }
    await this.ensureLoaded();
    if (this.state !== 'loaded') return; // ASP.NET Core drops writes to an unavailable session.
    const previous = this.entries.get(key);
    const projected =
      this.serializedSize + ENTRY_OVERHEAD_BYTES + keyBytes + value.length - (previous === undefined ? 0 : entrySize(key, previous));
    if (projected > MAX_SERIALIZED_SESSION_BYTES) {
      throw new SessionLimitError(
        `Storing '${key}' would make the session ${projected} bytes, more than the limit of ${MAX_SERIALIZED_SESSION_BYTES} bytes.`,
      );
    }
    if (previous === undefined && this.entries.size >= MAX_ENTRIES) {
      throw new SessionLimitError(`A session holds at most ${MAX_ENTRIES} entries.`);
    }
    if (this.isNewKey) this.establish = true;
    this.modified = true;
    this.serializedSize = projected;
    this.entries.set(key, Buffer.from(value));
  }

  async remove(key: string): Promise<void> {
    await this.ensureLoaded();
    const previous = this.entries.get(key);
    if (previous === undefined) return;
    this.entries.delete(key);
    this.serializedSize -= entrySize(key, previous);
    this.modified = true;
  }

  /** Empties the session but keeps its key and cookie; an empty session is stored only if it had entries. */
  async clear(): Promise<void> {
    await this.ensureLoaded();
    if (this.entries.size === 0) return;
    this.entries.clear();
    this.serializedSize = EMPTY_SESSION_BYTES;
    this.modified = true;
  }

  /**
   * Writes a modified session (one round trip) and, for a session established by this request, adds its
   * cookie. A session that was only read needs nothing more: its load already slid the expiry.
   */
  async commit(response: KrResponse): Promise<void> {
    if (this.loading === undefined) return;
    try {
      await this.loading;
    } catch {
      return; // The load failure already reached the route.
    }
    if (!this.modified || this.state !== 'loaded') return;
    const engine = this.engine;
    this.id ??= randomBytes(SESSION_ID_LENGTH);
    const blob = serializeSession(this.id, this.entries);
    try {
      await engine.withIoTimeout(engine.cache.set(engine.storeKey(this.sessionKey), blob, engine.setOptions), 'Committing the session timed out.');
    } catch (error) {
      engine.logger.error('Error closing the session.', error);
      if (engine.failOnStoreError) throw asUnavailable(error);
      return;
    }
    this.modified = false;
    if (engine.logger.isEnabled('Debug')) {
      engine.logger.debug(`Session stored; Key:${this.sessionKey}, Count:${this.entries.size}`);
    }
    if (this.establish) {
      const protector = await engine.protector();
      response.addHeader(
        'set-cookie',
        renderSetCookie(engine.cookie, protector.protect(this.sessionKey), this.request.isHttps(engine.trustProxy), new Date()),
      );
      response.setHeader('cache-control', 'no-cache,no-store');
      response.setHeader('pragma', 'no-cache');
      response.setHeader('expires', '-1');
    }
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
