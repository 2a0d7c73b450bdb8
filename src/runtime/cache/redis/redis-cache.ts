/**
 * The port of Microsoft.Extensions.Caching.StackExchangeRedis's RedisCache on ioredis, with the same data layout so a
 * .NET app and this port can share sessions (see cache-entry.ts). The connection, its failures and its deadlines are
 * RedisConnection's; the hot path, a session's load and commit, is one Lua script each (ScriptRunner), which does
 * what .NET's two commands do, with those command pairs (CommandPairs) as the fallback.
 */
import type { DistributedCache, DistributedCacheEntryOptions, DistributedCacheGetOptions } from '../distributed-cache.ts';
import { entryBytes, storedEntry } from './cache-entry.ts';
import type { StoredEntry } from './cache-entry.ts';
import { CommandPairs } from './command-pairs.ts';
import type { RedisCacheLog } from './connection-log.ts';
import { DurableWrite } from './durable-write.ts';
import type { CommandArgument } from './encoded-command.ts';
import type { Cluster, Redis } from './ioredis.ts';
import { describeRedisSettings } from './redis-connection-settings.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { RedisConnection } from './redis-connection.ts';
import { GET_AND_REFRESH, SET_ENTRY } from './redis-scripts.ts';
import { ScriptRunner } from './script-runner.ts';
import type { TopologyClient } from './topology-client.ts';

export type { RedisCacheLog, RedisCacheLogLevel } from './connection-log.ts';

export interface RedisDistributedCacheOptions {
  /** Prefix of every key, concatenated without a separator as in .NET; usually ends with ':'. */
  readonly instanceName: string;
  readonly log: RedisCacheLog;
}

const acknowledged = (): undefined => undefined;

export class RedisDistributedCache implements DistributedCache {
  readonly description: string;
  private readonly instanceName: string;
  private readonly connection: RedisConnection;
  private readonly scripts: ScriptRunner;
  private readonly pairs: CommandPairs;
  private readonly durable: DurableWrite | undefined;

  constructor(settings: RedisConnectionSettings, options: RedisDistributedCacheOptions) {
    this.instanceName = options.instanceName;
    this.description = `redis ${describeRedisSettings(settings)}`;
    this.connection = new RedisConnection(settings, options.log, () => this.scripts.loadAll());
    const send = this.connection.send.bind(this.connection);
    this.scripts = new ScriptRunner(send, options.log, this.connection.endpoint);
    this.pairs = new CommandPairs(send);
    const acknowledgements = settings.replicaAcknowledgements;
    if (acknowledgements !== undefined) this.durable = new DurableWrite(this.connection, acknowledgements);
  }

  /** The ioredis client once connected, for tests and benchmarks that need to look underneath. */
  get client(): Redis | Cluster | undefined {
    return this.connection.client.ioredis;
  }

  /** What the endpoints turned out to be: 'standalone', 'sentinel' or 'cluster'; undefined before the first connection. */
  get topology(): TopologyClient['topology'] {
    return this.connection.client.topology;
  }

  get(key: string, options?: DistributedCacheGetOptions): Promise<Buffer | null> {
    const redisKey = this.instanceName + key;
    const expectedSlidingMs = options?.expectedSlidingMs;
    if (expectedSlidingMs !== undefined && !(expectedSlidingMs > 0 && Number.isFinite(expectedSlidingMs))) {
      return Promise.reject(new RangeError(`expectedSlidingMs must be a positive number of milliseconds, got ${expectedSlidingMs}.`));
    }
    // One command: the script reads the entry and slides its expiry exactly as .NET's refresh would.
    return this.scripts.run(GET_AND_REFRESH, [redisKey, Date.now()], entryBytes, () => this.pairs.get(redisKey, expectedSlidingMs));
  }

  set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void> {
    const redisKey = this.instanceName + key;
    let entry: StoredEntry;
    try {
      entry = storedEntry(options, Date.now());
    } catch (error) {
      return Promise.reject(error);
    }
    const args = [redisKey, entry.absolute, entry.sliding, value, entry.ttlSeconds ?? ''];
    if (this.durable !== undefined) return this.durable.set(redisKey, args, this.scripts.enabled, () => this.write(redisKey, value, entry, args));
    return this.write(redisKey, value, entry, args);
  }

  /** One command: the script stores the entry and sets its expiry, as .NET's HSET and EXPIRE do. */
  private write(redisKey: string, value: Buffer, entry: StoredEntry, args: CommandArgument[]): Promise<void> {
    return this.scripts.run(SET_ENTRY, args, acknowledged, () => this.pairs.set(redisKey, value, entry));
  }

  refresh(key: string): Promise<void> {
    return this.pairs.refresh(this.instanceName + key);
  }

  async remove(key: string): Promise<void> {
    await this.connection.send('del', [this.instanceName + key], 'utf8');
  }

  async getOrCreateShared(name: string, candidate: string): Promise<string> {
    const redisKey = this.instanceName + name;
    // SET NX, then GET in the same write: GET returns the value that won, or one a rotation stored since, which is
    // as good. Each touches the one key, so on a Cluster both go to its node (a MULTI would go to any node).
    const [, winner] = await Promise.all([
      this.connection.send('set', [redisKey, candidate, 'NX'], 'utf8'),
      this.connection.send('get', [redisKey], 'utf8'),
    ]);
    if (typeof winner !== 'string') throw new Error(`Redis returned no value for shared key '${redisKey}' just after SET NX.`);
    return winner;
  }

  async setShared(name: string, value: string): Promise<void> {
    await this.connection.send('set', [this.instanceName + name, value], 'utf8');
  }

  connect(): Promise<void> {
    return this.connection.connect();
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
