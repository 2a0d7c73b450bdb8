/**
 * The port of Microsoft.Extensions.Caching.StackExchangeRedis's RedisCache on ioredis, with the same data layout so a
 * .NET app and this port can share sessions: key = instanceName + key, a HASH of `absexp` (DateTime ticks or -1),
 * `sldexp` (TimeSpan ticks or -1) and `data` (the raw bytes), and a key TTL that each read or refresh slides.
 *
 * Failure semantics: nothing waits for an outage to end. Every command is bounded by asyncTimeout; once the connection
 * has dropped, calls fail at once with CacheUnavailableError until ioredis has reconnected on its own.
 *
 * The hot path, a session's load and commit, is one command each: a Lua script that does what .NET's two commands
 * do. Commands go out in the order they are called; those of one turn of the event loop share socket writes of up to
 * FLUSH_AFTER_COMMANDS commands.
 */
import type { Socket } from 'node:net';
import type { Command } from 'ioredis';
import type { Cluster, Redis } from './ioredis.ts';
import { TopologyClient } from './topology-client.ts';
import { DeadlineQueue } from '../../timing/deadline-queue.ts';
import { CacheUnavailableError, promiseOf, settleFrom } from '../distributed-cache.ts';
import type { CacheReceiver, DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../distributed-cache.ts';
import { EncodedCommand, ReceivedCommand } from './encoded-command.ts';
import type { CommandArgument } from './encoded-command.ts';
import { describeRedisSettings, reconnectDelayMs, redisTargetLabel } from './redis-configuration.ts';
import type { RedisConnectionSettings } from './redis-configuration.ts';
import { GET_AND_REFRESH, refusesScripts, SET_ENTRY } from './redis-scripts.ts';
import { ScriptCall } from './script-call.ts';
import type { ScriptHost } from './script-call.ts';
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
/**
 * Small enough that Redis starts on a busy turn's first commands early, large enough that the extra writes cost
 * nothing measurable. On /session/counter at 64 connections, against one write per turn, in three runs of 8 to 10
 * alternating rounds: 8 gave 1.03x the req/s, 16 0.99x and 1.10x, 24 1.15x, 32 1.18x and 1.19x, 48 1.12x and 1.21x.
 */
const FLUSH_AFTER_COMMANDS = 32;

type EntryFields = [absolute: Buffer | null, sliding: Buffer | null, data: Buffer | null];

/** What a set stores: the hash fields as .NET writes them, and the TTL in whole seconds (undefined for none). */
interface StoredEntry {
  readonly absolute: string;
  readonly sliding: string;
  readonly ttlSeconds: number | undefined;
}

interface EntryMetadata {
  /** DateTime ticks, or undefined for none. */
  readonly absolute: bigint | undefined;
  /** TimeSpan ticks, or undefined for none. */
  readonly sliding: bigint | undefined;
}

export class RedisDistributedCache implements DistributedCache {
  readonly description: string;
  private readonly redis: TopologyClient;
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
  private readonly deadlines: DeadlineQueue<Command>;
  /** True until the server refuses a script; then the hot path sends .NET's command pairs instead. */
  private scripting = true;
  /** The socket corked for the current turn, if any, and the commands it holds, the one being sent included. */
  private corkedStream: Socket | undefined;
  private commandsCorked = 0;
  private readonly scriptHost: ScriptHost = {
    run: (call) => this.runScript(call),
    refusesScripts: (error) => this.scriptsRefused(error),
    toCacheError: (command, error) => this.toCacheError(command, error),
  };

  constructor(settings: RedisConnectionSettings, options: RedisDistributedCacheOptions) {
    this.settings = settings;
    this.instanceName = options.instanceName;
    this.log = options.log;
    this.endpoint = redisTargetLabel(settings);
    this.description = `redis ${describeRedisSettings(settings)}`;
    this.deadlines = new DeadlineQueue(settings.asyncTimeoutMs, {
      isPending: (command) => !command.isSettled,
      expire: (command) =>
        command.reject(
          new CacheUnavailableError(`Redis ${this.endpoint} did not answer ${command.name.toUpperCase()} within ${settings.asyncTimeoutMs} ms.`),
        ),
    });
    this.redis = new TopologyClient(settings, (attempt) => this.nextReconnectDelay(attempt));
    this.redis.on('ready', () => this.onReady());
    this.redis.on('error', (error: unknown) => this.onConnectionError(error));
    this.redis.on('close', () => this.onClose());
  }

  /** The ioredis client once connected, for tests and benchmarks that need to look underneath. */
  get client(): Redis | Cluster | undefined {
    return this.redis.client;
  }

  /** The topology the client found: 'standalone', 'sentinel' or 'cluster'; undefined before the first connection. */
  get topology(): TopologyClient['topology'] {
    return this.redis.topology;
  }

  get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null> {
    return promiseOf((receiver) => this.getInto(key, options, receiver));
  }

  set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void> {
    return promiseOf((receiver) => this.setInto(key, value, options, receiver));
  }

  getInto(key: string, options: DistributedCacheGetOptions | undefined, receiver: CacheReceiver<Buffer | null>): void {
    const redisKey = this.instanceName + key;
    const expectedSlidingMs = options?.expectedSlidingMs;
    if (expectedSlidingMs !== undefined && !(expectedSlidingMs > 0 && Number.isFinite(expectedSlidingMs))) {
      receiver.fail(new RangeError(`expectedSlidingMs must be a positive number of milliseconds, got ${expectedSlidingMs}.`));
      return;
    }
    if (!this.scripting) {
      settleFrom(this.getWithCommands(redisKey, expectedSlidingMs), receiver);
      return;
    }
    // One command: the script reads the entry and slides its expiry exactly as .NET's refresh would.
    // The fallback is passed inline: tsx names every closure bound to a variable, a defineProperty per call here.
    this.runScript(
      new ScriptCall(this.scriptHost, GET_AND_REFRESH, [redisKey, String(Date.now())], entryBytes, receiver, () =>
        this.getWithCommands(redisKey, expectedSlidingMs),
      ),
    );
  }

  setInto(key: string, value: Buffer, options: DistributedCacheEntryOptions, receiver: CacheReceiver<void>): void {
    const redisKey = this.instanceName + key;
    let entry: StoredEntry;
    try {
      entry = storedEntry(options, Date.now());
    } catch (error) {
      receiver.fail(error);
      return;
    }
    if (!this.scripting) {
      settleFrom(this.setWithCommands(redisKey, value, entry), receiver);
      return;
    }
    const args = [redisKey, entry.absolute, entry.sliding, value, entry.ttlSeconds ?? ''];
    this.runScript(new ScriptCall(this.scriptHost, SET_ENTRY, args, ignoreReply, receiver, () => this.setWithCommands(redisKey, value, entry)));
  }

  async refresh(key: string): Promise<void> {
    const redisKey = this.instanceName + key;
    const [absolute, sliding] = bufferList(await this.send('hmget', [redisKey, ABSOLUTE_FIELD, SLIDING_FIELD], null), 2);
    await this.slide(redisKey, readMetadata(redisKey, absolute, sliding));
  }

  async remove(key: string): Promise<void> {
    await this.send('del', [this.instanceName + key], 'utf8');
  }

  async getOrCreateShared(name: string, candidate: string): Promise<string> {
    const redisKey = this.instanceName + name;
    // SET NX, then GET in the same write: GET returns the value that won, or one a rotation stored since, which is
    // as good. Each touches the one key, so on a Cluster both go to its node (a MULTI would go to any node).
    const [, winner] = await Promise.all([this.send('set', [redisKey, candidate, 'NX'], 'utf8'), this.send('get', [redisKey], 'utf8')]);
    if (typeof winner !== 'string') throw new Error(`Redis returned no value for shared key '${redisKey}' just after SET NX.`);
    return winner;
  }

  async setShared(name: string, value: string): Promise<void> {
    await this.send('set', [this.instanceName + name, value], 'utf8');
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
    this.loadScripts();
  }

  /** Loads the scripts on every (re)connection, so that the first requests after it need no second round trip. */
  private loadScripts(): void {
    if (!this.scripting) return;
    for (const script of [GET_AND_REFRESH, SET_ENTRY]) {
      this.send('script', ['LOAD', script.source], 'utf8').catch((error: unknown) => this.scriptsRefused(error));
    }
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

  /**
   * Sends one command unless the connection is known to be down, and returns ioredis's own promise for it. Callers
   * turn failures into CacheUnavailableError with toCacheError, in the one handler they attach anyway.
   */
  private issue(name: string, args: CommandArgument[], replyEncoding: 'utf8' | null): Promise<unknown> {
    const command = new EncodedCommand(name, args, replyEncoding);
    const refusal = this.dispatch(command);
    return refusal === undefined ? command.promise : Promise.reject(refusal);
  }

  /** A command whose failures arrive as CacheUnavailableError. */
  private send(name: string, args: CommandArgument[], replyEncoding: 'utf8' | null): Promise<unknown> {
    return this.issue(name, args, replyEncoding).catch((error: unknown) => Promise.reject(this.toCacheError(name, error)));
  }

  /** Sends a script call's command; the call takes it from there (NOSCRIPT, refused scripts). */
  private runScript(call: ScriptCall<unknown>): void {
    const refusal = this.dispatch(new ReceivedCommand(call.commandName, call.commandArguments(), call));
    if (refusal !== undefined) call.failed(refusal);
  }

  /**
   * Writes a command unless the connection is known to be down, and returns why not otherwise. Its deadline is
   * asyncTimeout, kept by one shared timer. Commands sent in one turn of the event loop are batched (batchWrites).
   */
  private dispatch(command: Command): unknown {
    if (this.closing !== undefined) return this.closedError();
    const status = this.redis.status;
    // Before the first connection has been tried, commands wait in ioredis's offline queue (bounded by their
    // deadline); after a failure nothing may wait for the reconnect.
    if (status !== 'ready' && (this.everReady || this.lostSinceReady || status === 'end')) return this.unavailableError();
    this.batchWrites();
    try {
      this.redis.sendCommand(command);
    } catch (error) {
      return error;
    }
    this.deadlines.add(command);
    return undefined;
  }

  /** True when the error says the server will not run scripts at all; scripting is then off for good, said once. */
  private scriptsRefused(error: unknown): boolean {
    const reason = messageOf(error);
    if (!refusesScripts(reason)) return false;
    if (this.scripting) {
      this.scripting = false;
      this.log('information', `Redis ${this.endpoint} refuses Lua scripts (${reason}); using HMGET/EXPIRE and HSET/EXPIRE pairs instead.`);
    }
    return true;
  }

  /**
   * What auto-pipelining buys, without its per-command pipeline object and promises: the socket is corked on the
   * first command of a turn and uncorked after the turn's I/O callbacks, so the commands of every request served in
   * between share writes of at most FLUSH_AFTER_COMMANDS. Cutting a busy turn into several writes lets Redis work on
   * the first of them while the server still serves the rest, instead of both taking turns to idle.
   */
  private batchWrites(): void {
    if (this.corkedStream !== undefined) {
      if (this.commandsCorked === FLUSH_AFTER_COMMANDS) {
        this.corkedStream.uncork();
        this.corkedStream.cork();
        this.commandsCorked = 0;
      }
      this.commandsCorked += 1;
      return;
    }
    const stream = this.redis.stream;
    if (stream === undefined || this.redis.status !== 'ready') return;
    this.corkedStream = stream;
    this.commandsCorked = 1;
    stream.cork();
    setImmediate(() => {
      this.corkedStream = undefined;
      stream.uncork();
    });
  }

  /** .NET's Get with its refresh: HMGET, then EXPIRE or PEXPIRE; with a hinted window both in one round trip. */
  private async getWithCommands(redisKey: string, expectedSlidingMs: number | undefined): Promise<Buffer | null> {
    const fieldsOf = (): Promise<unknown> => this.send('hmget', [redisKey, ABSOLUTE_FIELD, SLIDING_FIELD, DATA_FIELD], null);
    if (expectedSlidingMs === undefined) {
      const [absolute, sliding, data] = bufferFields(await fieldsOf());
      await this.slide(redisKey, readMetadata(redisKey, absolute, sliding));
      return data;
    }
    const applied = timeSpanTicksFromMs(expectedSlidingMs);
    const [expire, amount] = expireArguments(applied);
    const [fields] = await Promise.all([fieldsOf(), this.send(expire, [redisKey, amount], 'utf8')]);
    const [absolute, sliding, data] = bufferFields(fields);
    if (absolute === null && sliding === null && data === null) return null;
    await this.correctGuessedExpiry(redisKey, readMetadata(redisKey, absolute, sliding), applied);
    return data;
  }

  /** .NET 9's Set: HSET, then EXPIRE in the same round trip; without a TTL no EXPIRE at all. */
  private async setWithCommands(redisKey: string, value: Buffer, entry: StoredEntry): Promise<void> {
    const hset = this.send('hset', [redisKey, ABSOLUTE_FIELD, entry.absolute, SLIDING_FIELD, entry.sliding, DATA_FIELD, value], 'utf8');
    if (entry.ttlSeconds === undefined) await hset;
    else await Promise.all([hset, this.send('expire', [redisKey, entry.ttlSeconds], 'utf8')]);
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
    await this.send(command, [redisKey, amount], 'utf8');
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
    if (restored === undefined) await this.send('persist', [redisKey], 'utf8');
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

/** An HMGET reply of `count` fields, each bytes or null. */
function bufferList(reply: unknown, count: number): (Buffer | null)[] {
  if (Array.isArray(reply) && reply.length === count && reply.every((item) => item === null || Buffer.isBuffer(item))) return reply;
  throw new Error(`Redis answered HMGET with something other than ${count} fields.`);
}

const ignoreReply = (): undefined => undefined;

/** The read script's reply: the data of a live entry, null for a missing one. */
function entryBytes(reply: unknown): Buffer | null {
  if (reply === null || Buffer.isBuffer(reply)) return reply;
  throw new Error('Redis answered the session read script with something other than the entry data.');
}

function bufferFields(reply: unknown): EntryFields {
  const [absolute = null, sliding = null, data = null] = bufferList(reply, 3);
  return [absolute, sliding, data];
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

/** The fields and TTL of a set, validated as .NET validates them. */
function storedEntry(options: DistributedCacheEntryOptions, now: number): StoredEntry {
  const absoluteMs = absoluteExpiryMs(options, now);
  const slidingMs = options.slidingExpirationMs;
  if (slidingMs !== undefined && !(slidingMs > 0)) {
    throw new RangeError(`The sliding expiration value must be positive, got ${slidingMs} ms.`);
  }
  return {
    absolute: String(absoluteMs === undefined ? NOT_PRESENT : ticksFromUnixMs(absoluteMs)),
    sliding: String(slidingMs === undefined ? NOT_PRESENT : timeSpanTicksFromMs(slidingMs)),
    ttlSeconds: ttlSecondsAtSet(absoluteMs === undefined ? undefined : absoluteMs - now, slidingMs),
  };
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
