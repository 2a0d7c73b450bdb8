/**
 * The port of .NET's MemoryDistributedCache: a process-local map with sliding and absolute expiry and a byte
 * budget. Nothing is shared between instances or survives a restart.
 */
import { MAX_TIMER_DELAY_MS } from '../timing/deadline-queue.ts';
import { CacheUnavailableError } from './distributed-cache.ts';
import type { DistributedCache, DistributedCacheEntryOptions } from './distributed-cache.ts';

export interface MemoryDistributedCacheOptions {
  /** Budget for the sum of value lengths in bytes; MemoryDistributedCacheOptions defaults to 200 MB. */
  readonly sizeLimit?: number;
  /** Share of sizeLimit that an overcapacity compaction frees, 0 to 1. */
  readonly compactionPercentage?: number;
  readonly expirationScanFrequencyMs?: number;
  /** Milliseconds since the epoch; injectable so tests need not wait. */
  readonly clock?: () => number;
}

interface MemoryCacheEntry {
  readonly value: Buffer;
  lastAccessed: number;
  /** Infinity when the entry has no sliding window, so the expiry test needs no branch. */
  readonly slidingMs: number;
  /** Infinity when the entry has no absolute expiry. */
  readonly absoluteAt: number;
}

const DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024;
const DEFAULT_COMPACTION_PERCENTAGE = 0.05;
const DEFAULT_EXPIRATION_SCAN_FREQUENCY_MS = 60_000;

/**
 * Throws a RangeError for options the cache cannot work with, so that Add-KrSession can refuse them when the
 * script calls it rather than when the server starts.
 */
export function validateMemoryCacheOptions(options: MemoryDistributedCacheOptions): void {
  const sizeLimit = options.sizeLimit ?? DEFAULT_SIZE_LIMIT;
  const compactionPercentage = options.compactionPercentage ?? DEFAULT_COMPACTION_PERCENTAGE;
  const scanFrequencyMs = options.expirationScanFrequencyMs ?? DEFAULT_EXPIRATION_SCAN_FREQUENCY_MS;
  if (!(sizeLimit > 0)) throw new RangeError(`sizeLimit must be a positive number of bytes, got ${sizeLimit}.`);
  if (!(compactionPercentage >= 0 && compactionPercentage <= 1)) {
    throw new RangeError(`compactionPercentage must be between 0 and 1, got ${compactionPercentage}.`);
  }
  if (!(scanFrequencyMs > 0 && scanFrequencyMs <= MAX_TIMER_DELAY_MS)) {
    throw new RangeError(`expirationScanFrequencyMs must be between 1 and ${MAX_TIMER_DELAY_MS} milliseconds, got ${scanFrequencyMs}.`);
  }
}

export class MemoryDistributedCache implements DistributedCache {
  readonly description = 'memory';
  private readonly entries = new Map<string, MemoryCacheEntry>();
  private readonly shared = new Map<string, string>();
  private readonly sizeLimit: number;
  private readonly compactionPercentage: number;
  private readonly scanFrequencyMs: number;
  private readonly clock: () => number;
  private size = 0;
  private lastScanAt: number;
  private scanTimer: NodeJS.Timeout | null;
  private closed = false;

  constructor(options: MemoryDistributedCacheOptions = {}) {
    this.sizeLimit = options.sizeLimit ?? DEFAULT_SIZE_LIMIT;
    this.compactionPercentage = options.compactionPercentage ?? DEFAULT_COMPACTION_PERCENTAGE;
    this.scanFrequencyMs = options.expirationScanFrequencyMs ?? DEFAULT_EXPIRATION_SCAN_FREQUENCY_MS;
    this.clock = options.clock ?? Date.now;
    validateMemoryCacheOptions(options);
    this.lastScanAt = this.clock();
    // .NET only scans when the cache is used; the timer also reclaims memory in a process that has gone idle,
    // and unref() keeps it from holding the process open.
    this.scanTimer = setInterval(() => this.scanForExpiredEntries(this.clock()), this.scanFrequencyMs);
    this.scanTimer.unref();
  }

  /** Entries held, including expired ones that no access or scan has removed yet. */
  get count(): number {
    return this.entries.size;
  }

  /** Sum of the held values' lengths in bytes, the quantity sizeLimit bounds. */
  get totalSize(): number {
    return this.size;
  }

  async get(key: string): Promise<Buffer | null> {
    return this.read(key);
  }

  async set(key: string, value: Buffer, options: DistributedCacheEntryOptions): Promise<void> {
    this.write(key, value, options);
  }

  async refresh(key: string): Promise<void> {
    this.throwIfClosed();
    const now = this.clock();
    this.touch(key, now);
    this.scanIfDue(now);
  }

  async remove(key: string): Promise<void> {
    this.throwIfClosed();
    const entry = this.entries.get(key);
    if (entry !== undefined) this.delete(key, entry);
    this.scanIfDue(this.clock());
  }

  async getOrCreateShared(name: string, candidate: string): Promise<string> {
    this.throwIfClosed();
    const existing = this.shared.get(name);
    if (existing !== undefined) return existing;
    this.shared.set(name, candidate);
    return candidate;
  }

  async setShared(name: string, value: string): Promise<void> {
    this.throwIfClosed();
    this.shared.set(name, value);
  }

  async connect(): Promise<void> {
    this.throwIfClosed();
  }

  async close(): Promise<void> {
    if (this.scanTimer !== null) clearInterval(this.scanTimer);
    this.scanTimer = null;
    this.closed = true;
    this.entries.clear();
    this.shared.clear();
    this.size = 0;
  }

  private read(key: string): Buffer | null {
    this.throwIfClosed();
    const now = this.clock();
    const entry = this.touch(key, now);
    this.scanIfDue(now);
    return entry === undefined ? null : entry.value;
  }

  private write(key: string, value: Buffer, options: DistributedCacheEntryOptions): void {
    this.throwIfClosed();
    const now = this.clock();
    const entry: MemoryCacheEntry = {
      value,
      lastAccessed: now,
      slidingMs: slidingWindow(options),
      absoluteAt: absoluteExpiry(options, now),
    };
    const prior = this.entries.get(key);
    const priorSize = prior === undefined ? 0 : prior.value.length;
    if (this.size - priorSize + value.length > this.sizeLimit) {
      // As in .NET: the write is dropped, and so is the version it would have replaced.
      if (prior !== undefined) this.delete(key, prior);
      this.compact(now);
    } else {
      this.entries.set(key, entry);
      this.size += value.length - priorSize;
    }
    this.scanIfDue(now);
  }

  /** Returns the live entry after sliding it, or removes it when it has expired. */
  private touch(key: string, now: number): MemoryCacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (isExpired(entry, now)) {
      this.delete(key, entry);
      return undefined;
    }
    entry.lastAccessed = now;
    return entry;
  }

  private delete(key: string, entry: MemoryCacheEntry): void {
    this.entries.delete(key);
    this.size -= entry.value.length;
  }

  private scanIfDue(now: number): void {
    if (now - this.lastScanAt > this.scanFrequencyMs) this.scanForExpiredEntries(now);
  }

  private scanForExpiredEntries(now: number): void {
    this.lastScanAt = now;
    for (const [key, entry] of this.entries) {
      if (isExpired(entry, now)) this.delete(key, entry);
    }
  }

  /** Shrinks to sizeLimit × (1 − compactionPercentage): expired entries first, then least recently used. */
  private compact(now: number): void {
    const target = this.sizeLimit - Math.floor(this.sizeLimit * this.compactionPercentage);
    if (this.size <= target) return;
    this.scanForExpiredEntries(now);
    if (this.size <= target) return;
    const byLastAccess = [...this.entries].sort(([, a], [, b]) => a.lastAccessed - b.lastAccessed);
    for (const [key, entry] of byLastAccess) {
      if (this.size <= target) break;
      this.delete(key, entry);
    }
  }

  private throwIfClosed(): void {
    if (this.closed) throw new CacheUnavailableError('The memory cache has been closed.');
  }
}

function isExpired(entry: MemoryCacheEntry, now: number): boolean {
  return now >= entry.absoluteAt || now - entry.lastAccessed >= entry.slidingMs;
}

function slidingWindow(options: DistributedCacheEntryOptions): number {
  const sliding = options.slidingExpirationMs;
  if (sliding === undefined) return Infinity;
  if (!(sliding > 0)) throw new RangeError(`The sliding expiration value must be positive, got ${sliding} ms.`);
  return sliding;
}

/** With both forms given, the earlier expiry wins, as in .NET's MemoryCache. */
function absoluteExpiry(options: DistributedCacheEntryOptions, now: number): number {
  let at = Infinity;
  const relative = options.absoluteExpirationRelativeToNowMs;
  if (relative !== undefined) {
    if (!(relative > 0)) throw new RangeError(`The relative expiration value must be positive, got ${relative} ms.`);
    at = now + relative;
  }
  const absolute = options.absoluteExpiration;
  if (absolute !== undefined) {
    const fixed = absolute.getTime();
    if (!(fixed > now)) throw new RangeError('The absolute expiration value must be in the future.');
    at = Math.min(at, fixed);
  }
  return at;
}
