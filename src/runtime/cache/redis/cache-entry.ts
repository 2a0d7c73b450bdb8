/**
 * The entry layout and expiry arithmetic of Microsoft.Extensions.Caching.StackExchangeRedis's RedisCache: a HASH of
 * `absexp` (DateTime ticks or -1), `sldexp` (TimeSpan ticks or -1) and `data` (the raw bytes), and a key TTL that each
 * read or refresh slides. Pure functions, shared by the scripts' callers and the command pairs.
 */
import type { DistributedCacheEntryOptions } from '../distributed-cache.ts';
import { parseTicks, ticksFromUnixMs, TICKS_PER_MILLISECOND, timeSpanTicksFromMs } from './ticks.ts';

export const ABSOLUTE_FIELD = 'absexp';
export const SLIDING_FIELD = 'sldexp';
export const DATA_FIELD = 'data';
const NOT_PRESENT = -1n;

/** What a set stores: the hash fields as .NET writes them, and the TTL in whole seconds (undefined for none). */
export interface StoredEntry {
  readonly absolute: string;
  readonly sliding: string;
  readonly ttlSeconds: number | undefined;
}

export interface EntryMetadata {
  /** DateTime ticks, or undefined for none. */
  readonly absolute: bigint | undefined;
  /** TimeSpan ticks, or undefined for none. */
  readonly sliding: bigint | undefined;
}

export type EntryFields = [absolute: Buffer | null, sliding: Buffer | null, data: Buffer | null];

/** StackExchange.Redis's KeyExpire: EXPIRE for whole seconds, PEXPIRE otherwise; a negative expiry deletes the key. */
export function expireArguments(expiryTicks: bigint): readonly ['expire' | 'pexpire', string] {
  const ms = expiryTicks / TICKS_PER_MILLISECOND;
  return ms % 1000n === 0n ? ['expire', String(ms / 1000n)] : ['pexpire', String(ms)];
}

/** An HMGET reply of `count` fields, each bytes or null. */
export function bufferList(reply: unknown, count: number): (Buffer | null)[] {
  if (Array.isArray(reply) && reply.length === count && reply.every((item) => item === null || Buffer.isBuffer(item))) return reply;
  throw new Error(`Redis answered HMGET with something other than ${count} fields.`);
}

export function bufferFields(reply: unknown): EntryFields {
  const [absolute = null, sliding = null, data = null] = bufferList(reply, 3);
  return [absolute, sliding, data];
}

/** The read script's reply: the data of a live entry, null for a missing one. */
export function entryBytes(reply: unknown): Buffer | null {
  if (reply === null || Buffer.isBuffer(reply)) return reply;
  throw new Error('Redis answered the session read script with something other than the entry data.');
}

export function readMetadata(redisKey: string, absolute: Buffer | null | undefined, sliding: Buffer | null | undefined): EntryMetadata {
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
export function slidingExpiryTicks(metadata: EntryMetadata, nowTicks: bigint): bigint | undefined {
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
export function storedEntry(options: DistributedCacheEntryOptions, now: number): StoredEntry {
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
