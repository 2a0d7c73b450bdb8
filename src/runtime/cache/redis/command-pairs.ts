/**
 * What .NET's RedisCache sends, command for command: the cache's refresh always, and its get and set when the server
 * refuses Lua scripts.
 */
import { ticksFromUnixMs, TICKS_PER_MILLISECOND, timeSpanTicksFromMs } from './ticks.ts';
import {
  ABSOLUTE_FIELD,
  bufferFields,
  bufferList,
  DATA_FIELD,
  expireArguments,
  readMetadata,
  SLIDING_FIELD,
  slidingExpiryTicks,
} from './cache-entry.ts';
import type { EntryMetadata, StoredEntry } from './cache-entry.ts';
import type { SendCommand } from './redis-connection.ts';

export class CommandPairs {
  constructor(private readonly send: SendCommand) {}

  /** .NET's Get with its refresh: HMGET, then EXPIRE or PEXPIRE; with a hinted window both in one round trip. */
  async get(redisKey: string, expectedSlidingMs: number | undefined): Promise<Buffer | null> {
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
  async set(redisKey: string, value: Buffer, entry: StoredEntry): Promise<void> {
    const hset = this.send('hset', [redisKey, ABSOLUTE_FIELD, entry.absolute, SLIDING_FIELD, entry.sliding, DATA_FIELD, value], 'utf8');
    if (entry.ttlSeconds === undefined) await hset;
    else await Promise.all([hset, this.send('expire', [redisKey, entry.ttlSeconds], 'utf8')]);
  }

  /** .NET's Refresh: the expiry fields, then the slide. */
  async refresh(redisKey: string): Promise<void> {
    const [absolute, sliding] = bufferList(await this.send('hmget', [redisKey, ABSOLUTE_FIELD, SLIDING_FIELD], null), 2);
    await this.slide(redisKey, readMetadata(redisKey, absolute, sliding));
  }

  /** Only an entry with a sliding window moves, to min(absolute − now, sliding). */
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
