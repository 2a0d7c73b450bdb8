/**
 * The port of Microsoft.Extensions.Caching.StackExchangeRedis's RedisCache on ioredis, with the same data layout so a
 * .NET app and this port can share sessions: key = instanceName + key, a HASH of `absexp` (DateTime ticks or -1),
 * `sldexp` (TimeSpan ticks or -1) and `data` (the raw bytes), and a key TTL that each read or refresh slides.
 *
 * Failure semantics: nothing waits for an outage to end. Every command is bounded by asyncTimeout; once the connection
 * has dropped, calls fail at once with CacheUnavailableError until ioredis has reconnected on its own.
 *
 * Calls that the caller awaits reach Redis in order. Calls issued in the same tick without awaiting may not: single
 * commands are auto-pipelined on the next turn of the event loop, while transactions and pipelines go out at once.
 */
import { Redis } from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { CacheUnavailableError } from '../distributed-cache.ts';
import type { DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../distributed-cache.ts';
import { describeRedisSettings, primaryEndpointAddress, reconnectDelayMs, toIoredisOptions } from './redis-configuration.ts';
import type { RedisConnectionSettings } from './redis-configuration.ts';
import { parseTicks, ticksFromUnixMs, TICKS_PER_MILLISECOND, timeSpanTicksFromMs } from './ticks.ts';

export type RedisCacheLogLevel = 'debug' | 'information' | 'warning' | 'error';
export type RedisCacheLog = (level: RedisCacheLogLevel, message: string, error?: unknown) => void;

export interface RedisDistributedCacheOptions {
  /** Prefix of every key, concatenated without a separator as in .NET; usually ends with ':'. */
  readonly instanceName: string;
  readonly log: RedisCacheLog;
}

const ABSOLUTE_FIELD = 'absexp';
const SLIDING_FIELD = 'sldexp';
const DATA_FIELD = 'data';
const NOT_PRESENT = -1n;
const QUIT_TIMEOUT_MS = 1000;
const ERROR_LOG_WINDOW_MS = 10_000;

interface EntryMetadata {
  /** DateTime ticks, or undefined for none. */
  readonly absolute: bigint | undefined;
  /** TimeSpan ticks, or undefined for none. */
  readonly sliding: bigint | undefined;
}

export class RedisDistributedCache implements DistributedCache {
  readonly description: string;
  private readonly redis: Redis;
  private readonly instanceName: string;
  private readonly log: RedisCacheLog;
  private readonly endpoint: string;
  private readonly settings: RedisConnectionSettings;
  private readonly errorLog = new ErrorLogThrottle(ERROR_LOG_WINDOW_MS);
  private everReady = false;
  /** An error or close since the last 'ready': the connection is known to be down. */
  private lostSinceReady = false;
  private lastConnectionError: unknown;
  /** Set while an abortOnConnectFail connect() runs: how many more failed attempts it tolerates. */
  private connectAttemptsLeft: number | undefined;
  private connecting: Promise<void> | undefined;
  private abandonConnect: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(settings: RedisConnectionSettings, options: RedisDistributedCacheOptions) {
    this.settings = settings;
    this.instanceName = options.instanceName;
    this.log = options.log;
    this.endpoint = primaryEndpointAddress(settings);
    this.description = `redis ${describeRedisSettings(settings)}`;
    this.redis = new Redis({
      ...toIoredisOptions(settings),
      retryStrategy: (attempt) => this.nextReconnectDelay(attempt),
    });
    this.redis.on('ready', () => this.onReady());
    this.redis.on('error', (error: unknown) => this.onConnectionError(error));
    this.redis.on('close', () => this.onClose());
  }

  /** The ioredis client, for tests and benchmarks that need to look underneath. */
  get client(): Redis {
    return this.redis;
  }

  async get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null> {
    const redisKey = this.instanceName + key;
    const expectedSlidingMs = options?.expectedSlidingMs;
    if (expectedSlidingMs === undefined) {
      const [absolute, sliding, data] = await this.run('HMGET', () =>
        this.redis.hmgetBuffer(redisKey, ABSOLUTE_FIELD, SLIDING_FIELD, DATA_FIELD),
      );
      await this.slide(redisKey, readMetadata(redisKey, absolute, sliding));
      return data ?? null;
    }
    const applied = positiveDurationTicks(expectedSlidingMs, 'expectedSlidingMs');
    const [expire, amount] = expireArguments(applied);
    // Two commands issued in the same tick leave in one auto-pipelined write: one round trip, at half the cost of
    // an ioredis pipeline object, and batched with the other requests' commands.
    const [fields] = await this.run('HMGET', () =>
      Promise.all([this.redis.hmgetBuffer(redisKey, ABSOLUTE_FIELD, SLIDING_FIELD, DATA_FIELD), this.redis[expire](redisKey, amount)]),
    );
    const [absolute, sliding, data] = bufferFields(fields);
    if (absolute === null && sliding === null && data === null) return null;
    await this.correctGuessedExpiry(redisKey, readMetadata(redisKey, absolute, sliding), applied);
    return data;
  }

  async set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void> {
    const redisKey = this.instanceName + key;
    const now = Date.now();
    const absoluteMs = absoluteExpiryMs(options, now);
    const slidingMs = options.slidingExpirationMs;
    if (slidingMs !== undefined && !(slidingMs > 0)) {
      throw new RangeError(`The sliding expiration value must be positive, got ${slidingMs} ms.`);
    }
    const fields = [
      ABSOLUTE_FIELD,
      String(absoluteMs === undefined ? NOT_PRESENT : ticksFromUnixMs(absoluteMs)),
      SLIDING_FIELD,
      String(slidingMs === undefined ? NOT_PRESENT : timeSpanTicksFromMs(slidingMs)),
      DATA_FIELD,
      value,
    ];
    const ttlSeconds = ttlSecondsAtSet(absoluteMs === undefined ? undefined : absoluteMs - now, slidingMs);
    if (ttlSeconds === undefined) {
      // Without a TTL .NET sends no EXPIRE, leaving any earlier TTL of the key as it was.
      await this.run('HSET', () => this.redis.hset(redisKey, ...fields));
      return;
    }
    // HSET and EXPIRE pipelined, as the .NET 9 RedisCache sends them: one round trip. They share one auto-pipelined
    // write, which costs less than half of a MULTI/EXEC transaction object and is ordered on the connection.
    await this.run('HSET', () => Promise.all([this.redis.hset(redisKey, ...fields), this.redis.expire(redisKey, ttlSeconds)]));
  }

  async refresh(key: string): Promise<void> {
    const redisKey = this.instanceName + key;
    const [absolute, sliding] = await this.run('HMGET', () => this.redis.hmgetBuffer(redisKey, ABSOLUTE_FIELD, SLIDING_FIELD));
    await this.slide(redisKey, readMetadata(redisKey, absolute, sliding));
  }

  async remove(key: string): Promise<void> {
    await this.run('DEL', () => this.redis.del(this.instanceName + key));
  }

  async getOrCreateShared(name: string, candidate: string): Promise<string> {
    const redisKey = this.instanceName + name;
    // SET NX and GET in one transaction: GET returns exactly the value that won, whoever set it.
    const [, winner] = await this.run('SET', () => execPipeline(this.redis.multi().set(redisKey, candidate, 'NX').get(redisKey)));
    if (typeof winner !== 'string') throw new Error(`Redis returned no value for shared key '${redisKey}' just after SET NX.`);
    return winner;
  }

  async setShared(name: string, value: string): Promise<void> {
    await this.run('SET', () => this.redis.set(this.instanceName + name, value));
  }

  connect(): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(this.closedError());
    if (this.redis.status === 'ready') return Promise.resolve();
    if (!this.settings.abortOnConnectFail) {
      this.startConnecting();
      return Promise.resolve();
    }
    // After an outage ioredis is already reconnecting; limiting its attempts here would stop that for good.
    if (this.everReady) return Promise.reject(this.unavailableError());
    this.connecting ??= this.connectOrGiveUp().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  close(): Promise<void> {
    this.closing ??= this.quit();
    return this.closing;
  }

  /** Kicks off a connection unless one is under way; ioredis then keeps retrying on its own. */
  private startConnecting(): void {
    if (this.redis.status === 'wait' || this.redis.status === 'end') {
      // Failures arrive as 'error' and 'close' events, which are logged; the promise carries nothing more.
      this.redis.connect().catch(() => undefined);
    }
  }

  /** SE.Redis abortConnect=true: up to connectRetry attempts, each bounded by connectTimeout, then an error. */
  private connectOrGiveUp(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        this.redis.off('ready', onReady);
        this.redis.off('end', onEnd);
        this.abandonConnect = undefined;
        this.connectAttemptsLeft = undefined;
      };
      const onReady = (): void => {
        settle();
        resolve();
      };
      const onEnd = (): void => {
        settle();
        const attempts = Math.max(1, this.settings.connectRetry);
        reject(
          new CacheUnavailableError(
            `It was not possible to connect to the redis server(s) ${this.endpoint}. ${attempts} connect attempt(s) failed; ` +
              `last error: ${messageOf(this.lastConnectionError)}. To keep retrying in the background instead, set abortConnect=false.`,
            { cause: this.lastConnectionError },
          ),
        );
      };
      this.redis.once('ready', onReady);
      this.redis.once('end', onEnd);
      // disconnect() while ioredis waits to retry emits no 'end', so close() settles the promise itself.
      this.abandonConnect = () => {
        settle();
        reject(this.closedError());
      };
      this.connectAttemptsLeft = Math.max(1, this.settings.connectRetry);
      this.startConnecting();
    });
  }

  private nextReconnectDelay(attempt: number): number | null {
    if (this.connectAttemptsLeft !== undefined) {
      this.connectAttemptsLeft -= 1;
      // null ends ioredis's retrying; the client goes to 'end', which settles connectOrGiveUp.
      if (this.connectAttemptsLeft <= 0) return null;
    }
    return reconnectDelayMs(attempt);
  }

  private async quit(): Promise<void> {
    this.abandonConnect?.();
    if (this.redis.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
      });
      await Promise.race([this.redis.quit().then(() => undefined, () => undefined), timeout]);
      clearTimeout(timer);
    }
    // Also stops a pending reconnect. Skipped at 'end', where ioredis would only arm a timer for a closed socket.
    if (this.redis.status !== 'end') this.redis.disconnect();
  }

  private onReady(): void {
    this.connectAttemptsLeft = undefined;
    const suppressed = this.errorLog.reset();
    const note = suppressed > 0 ? ` (${suppressed} further connection error(s) were not logged)` : '';
    this.log('information', `${this.everReady ? 'Reconnected' : 'Connected'} to redis ${this.endpoint}${note}.`);
    this.everReady = true;
    this.lostSinceReady = false;
    this.lastConnectionError = undefined;
  }

  private onClose(): void {
    if (this.closing !== undefined) return;
    if (this.everReady && !this.lostSinceReady) {
      this.log('warning', `Lost the connection to redis ${this.endpoint}; reconnecting in the background. Session requests fail with 503 meanwhile.`);
    }
    this.lostSinceReady = true;
  }

  private onConnectionError(error: unknown): void {
    this.lostSinceReady = true;
    this.lastConnectionError = error;
    if (this.closing !== undefined) return;
    if (this.connectAttemptsLeft !== undefined) {
      // connect() reports the failure itself once it gives up.
      this.log('debug', `Connecting to redis ${this.endpoint} failed: ${messageOf(error)}`, error);
      return;
    }
    const suppressed = this.errorLog.admit(Date.now());
    if (suppressed === undefined) return;
    const note = suppressed > 0 ? ` (${suppressed} similar error(s) not logged)` : '';
    if (this.everReady) {
      this.log('error', `Redis ${this.endpoint} connection error: ${messageOf(error)}${note}`, error);
    } else {
      this.log('warning', `Redis ${this.endpoint} is not reachable yet; retrying in the background: ${messageOf(error)}${note}`, error);
    }
  }

  /** Sends a command unless the connection is known to be down, and turns every failure into CacheUnavailableError. */
  private run<T>(command: string, send: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) return Promise.reject(this.closedError());
    const status = this.redis.status;
    // Before the first connection has been tried, commands wait in ioredis's offline queue (bounded by the
    // command timeout); after a failure nothing may wait for the reconnect.
    if (status !== 'ready' && (this.everReady || this.lostSinceReady || status === 'end')) return Promise.reject(this.unavailableError());
    // Not an async function: on the hot path one promise less is measurably cheaper.
    let sent: Promise<T>;
    try {
      sent = send();
    } catch (error) {
      return Promise.reject(this.toCacheError(command, error));
    }
    return sent.catch((error: unknown) => {
      throw this.toCacheError(command, error);
    });
  }

  private toCacheError(command: string, error: unknown): CacheUnavailableError {
    if (error instanceof CacheUnavailableError) return error;
    if (error instanceof Error && error.name === 'ReplyError') return new CacheUnavailableError(error.message, { cause: error });
    if (error instanceof Error && error.message === 'Command timed out') {
      return new CacheUnavailableError(
        `Redis ${this.endpoint} did not answer ${command} within ${this.settings.asyncTimeoutMs} ms.`,
        { cause: error },
      );
    }
    // ioredis rejects the commands it held with its own bookkeeping error; the connection error says what went wrong.
    const cause = this.lastConnectionError ?? error;
    const reason = cause instanceof Error && cause.name === 'MaxRetriesPerRequestError' ? 'connection lost' : messageOf(cause);
    return new CacheUnavailableError(`Redis ${this.endpoint} is unavailable (${reason}).`, { cause });
  }

  private unavailableError(): CacheUnavailableError {
    const next = this.redis.status === 'end' ? 'connect() gave up; call it again to retry' : 'reconnecting in the background';
    return new CacheUnavailableError(
      `Redis ${this.endpoint} is unavailable (${messageOf(this.lastConnectionError ?? 'connection lost')}); ${next}.`,
      { cause: this.lastConnectionError },
    );
  }

  private closedError(): CacheUnavailableError {
    return new CacheUnavailableError(`The redis cache for ${this.endpoint} has been closed.`);
  }

  /** .NET's refresh: only an entry with a sliding window moves, to min(absolute − now, sliding). */
  private async slide(redisKey: string, metadata: EntryMetadata): Promise<void> {
    const expiry = slidingExpiryTicks(metadata, ticksFromUnixMs(Date.now()));
    if (expiry !== undefined) await this.expire(redisKey, expiry);
  }

  private async expire(redisKey: string, expiryTicks: bigint): Promise<void> {
    const [command, amount] = expireArguments(expiryTicks);
    await this.run(command.toUpperCase(), () => this.redis[command](redisKey, amount));
  }

  /**
   * The hinted get already applied `applied`; this restores what .NET would have done when the entry disagrees:
   * a different window, an absolute expiry that comes first, or no sliding window at all.
   */
  private async correctGuessedExpiry(redisKey: string, metadata: EntryMetadata, applied: bigint): Promise<void> {
    const now = ticksFromUnixMs(Date.now());
    const wanted = slidingExpiryTicks(metadata, now);
    if (wanted !== undefined && wanted / TICKS_PER_MILLISECOND === applied / TICKS_PER_MILLISECOND) return;
    // Without a sliding window .NET would not have touched the TTL: the absolute expiry, or none, stands.
    const restored = wanted ?? (metadata.absolute === undefined ? undefined : metadata.absolute - now);
    if (restored === undefined) await this.run('PERSIST', () => this.redis.persist(redisKey));
    else await this.expire(redisKey, restored);
  }
}

/** Logs the first connection error at once and then at most one per window, so an outage yields a few lines, not thousands. */
class ErrorLogThrottle {
  private lastLoggedAt = -Infinity;
  private suppressed = 0;

  constructor(private readonly windowMs: number) {}

  /** The number of errors held back since the last logged one, or undefined when this one is held back too. */
  admit(now: number): number | undefined {
    if (now - this.lastLoggedAt < this.windowMs) {
      this.suppressed += 1;
      return undefined;
    }
    const suppressed = this.suppressed;
    this.lastLoggedAt = now;
    this.suppressed = 0;
    return suppressed;
  }

  /** Starts afresh, so the next outage is logged at once; returns the errors held back until now. */
  reset(): number {
    const suppressed = this.suppressed;
    this.lastLoggedAt = -Infinity;
    this.suppressed = 0;
    return suppressed;
  }
}

/** StackExchange.Redis's KeyExpire: EXPIRE for whole seconds, PEXPIRE otherwise; a negative expiry deletes the key. */
function expireArguments(expiryTicks: bigint): readonly ['expire' | 'pexpire', string] {
  const ms = expiryTicks / TICKS_PER_MILLISECOND;
  return ms % 1000n === 0n ? ['expire', String(ms / 1000n)] : ['pexpire', String(ms)];
}

/** Runs a pipeline or transaction and returns the replies, rejecting with the first command error. */
async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('The Redis transaction was aborted.');
  return results.map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}

function bufferFields(reply: unknown): [Buffer | null, Buffer | null, Buffer | null] {
  if (Array.isArray(reply) && reply.length === 3 && reply.every((item) => item === null || Buffer.isBuffer(item))) {
    return [reply[0], reply[1], reply[2]];
  }
  throw new Error('Redis answered HMGET with something other than three fields.');
}

function readMetadata(redisKey: string, absolute: Buffer | null | undefined, sliding: Buffer | null | undefined): EntryMetadata {
  return {
    absolute: readTicks(redisKey, ABSOLUTE_FIELD, absolute),
    sliding: readTicks(redisKey, SLIDING_FIELD, sliding),
  };
}

function readTicks(redisKey: string, field: string, raw: Buffer | null | undefined): bigint | undefined {
  if (raw === null || raw === undefined) return undefined;
  const ticks = parseTicks(raw.toString('latin1'));
  if (ticks === undefined) throw new Error(`Redis key '${redisKey}' holds a malformed '${field}' field; expected .NET ticks.`);
  return ticks === NOT_PRESENT ? undefined : ticks;
}

/** The refresh step of .NET's RedisCache: undefined when the entry has no sliding window. */
function slidingExpiryTicks(metadata: EntryMetadata, nowTicks: bigint): bigint | undefined {
  if (metadata.sliding === undefined) return undefined;
  if (metadata.absolute === undefined) return metadata.sliding;
  const remaining = metadata.absolute - nowTicks;
  return remaining < metadata.sliding ? remaining : metadata.sliding;
}

function positiveDurationTicks(ms: number, name: string): bigint {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`${name} must be a positive number of milliseconds, got ${ms}.`);
  return timeSpanTicksFromMs(ms);
}

/** The absolute expiry as Unix ms, validated as .NET's DistributedCacheEntryOptions and RedisCache do. */
function absoluteExpiryMs(options: DistributedCacheEntryOptions, now: number): number | undefined {
  const absolute = options.absoluteExpiration?.getTime();
  if (absolute !== undefined && !(absolute > now)) throw new RangeError('The absolute expiration value must be in the future.');
  const relative = options.absoluteExpirationRelativeToNowMs;
  if (relative === undefined) return absolute;
  if (!(relative > 0)) throw new RangeError(`The relative expiration value must be positive, got ${relative} ms.`);
  // .NET lets the relative form win when both are given.
  return now + relative;
}

/**
 * .NET's TTL at set time in whole seconds, truncated: min(absolute − now, sliding). A window under one second
 * truncates to EXPIRE 0, which deletes the key at once, exactly as in .NET.
 */
function ttlSecondsAtSet(untilAbsoluteMs: number | undefined, slidingMs: number | undefined): number | undefined {
  const candidates = [untilAbsoluteMs, slidingMs].filter((ms): ms is number => ms !== undefined);
  return candidates.length === 0 ? undefined : Math.trunc(Math.min(...candidates) / 1000);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
