import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { CacheUnavailableError } from '../../src/runtime/cache/distributed-cache.ts';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import type { RedisCacheLog, RedisCacheLogLevel } from '../../src/runtime/cache/redis/redis-cache.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import type { RedisConnectionSettings } from '../../src/runtime/cache/redis/redis-connection-settings.ts';
import { msFromTimeSpanTicks, ticksFromUnixMs, timeSpanTicksFromMs, unixMsFromTicks } from '../../src/runtime/cache/redis/ticks.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';

const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TWENTY_MINUTES_MS = 20 * 60_000;
const TWENTY_MINUTES_TICKS = '12000000000';
/** Every byte value, so any text decoding on the way would show. */
const BLOB = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

interface LogEntry {
  readonly level: RedisCacheLogLevel;
  readonly message: string;
}

/** Collects the cache's log and lets a test wait for a line: a readiness signal instead of a sleep. */
class LogRecorder {
  readonly entries: LogEntry[] = [];
  private readonly waiters: Array<{ matches: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }> = [];

  readonly log: RedisCacheLog = (level, message) => {
    const entry = { level, message };
    this.entries.push(entry);
    for (const waiter of this.waiters.filter((candidate) => candidate.matches(entry))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  };

  next(level: RedisCacheLogLevel, fragment: string): Promise<LogEntry> {
    const matches = (entry: LogEntry): boolean => entry.level === level && entry.message.includes(fragment);
    const seen = this.entries.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }
}

function newCache(settings: RedisConnectionSettings, log: RedisCacheLog = () => {}, instanceName = uniqueInstanceName()): RedisDistributedCache {
  return new RedisDistributedCache(settings, { instanceName, log });
}

function uniqueInstanceName(): string {
  return `kestrun-ts-test:${randomUUID()}:`;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** The rejection and how long it took to arrive. */
async function timedRejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await rejectionOf(promise);
  return { error, ms: performance.now() - started };
}

/** A plain client for looking at what the cache stored; outages in these tests are expected, so errors stay quiet. */
function inspectorFor(url: string): Redis {
  const client = new Redis(url);
  client.on('error', () => {});
  return client;
}

/** The cache's ioredis client, which for one endpoint of a standalone Redis is a single-node client. */
function singleNodeClient(cache: RedisDistributedCache): Redis {
  const client = cache.client;
  if (!(client instanceof Redis)) expect.fail(`expected a single-node client, found ${cache.topology ?? 'none'}`);
  return client;
}

async function whenReady(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/** Writes that reached the socket while `action` ran: corked commands leave together, up to 32 to a write. */
async function socketWritesDuring(client: Redis, action: () => Promise<unknown>): Promise<number> {
  const stream = client.stream as Socket & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  const write = stream._write;
  const writev = stream._writev;
  let writes = 0;
  stream._write = (...args: unknown[]) => {
    writes += 1;
    write.apply(stream, args);
  };
  stream._writev = (...args: unknown[]) => {
    writes += 1;
    writev.apply(stream, args);
  };
  try {
    await action();
  } finally {
    stream._write = write;
    stream._writev = writev;
  }
  return writes;
}

/** Calls per command from INFO commandstats, e.g. { hmget: 3, expire: 2 }. */
async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const info = await client.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1] ?? '', Number(match[2]));
  return calls;
}

function callsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [command, calls] of after) {
    const added = calls - (before.get(command) ?? 0);
    if (added > 0 && command !== 'info') delta[command] = added;
  }
  return delta;
}

describe('.NET ticks', () => {
  it('convert DateTime ticks and Unix milliseconds both ways, beyond 2^53, without loss', () => {
    expect(ticksFromUnixMs(0)).to.equal(621_355_968_000_000_000n);
    const ms = Date.UTC(2026, 10, 22, 1, 2, 3, 456);
    expect(ticksFromUnixMs(ms)).to.equal(621_355_968_000_000_000n + BigInt(ms) * 10_000n);
    expect(unixMsFromTicks(ticksFromUnixMs(ms))).to.equal(ms);
    expect(unixMsFromTicks(ticksFromUnixMs(ms) + 5_000n)).to.equal(ms + 0.5);
  });

  it('convert TimeSpan ticks and milliseconds both ways', () => {
    expect(timeSpanTicksFromMs(TWENTY_MINUTES_MS)).to.equal(12_000_000_000n);
    expect(timeSpanTicksFromMs(1.5)).to.equal(15_000n);
    expect(msFromTimeSpanTicks(12_000_000_000n)).to.equal(TWENTY_MINUTES_MS);
    expect(msFromTimeSpanTicks(-15_000n)).to.equal(-1.5);
  });
});

describe('RedisDistributedCache', () => {
  // The same behaviour twice: through the Lua scripts on the shared redis, and through the command pairs .NET sends
  // on a private redis whose ACL refuses scripts.
  for (const mode of ['scripts, shared redis', 'command pairs, private redis without @scripting'] as const) describe(mode, () => {
    const instanceName = uniqueInstanceName();
    let cache: RedisDistributedCache;
    let inspector: Redis;
    let privateRedis: PrivateRedis | undefined;
    let configuration = SHARED_REDIS_URL;

    before(async () => {
      if (mode === 'scripts, shared redis') {
        inspector = inspectorFor(SHARED_REDIS_URL);
      } else {
        privateRedis = await startPrivateRedis();
        inspector = inspectorFor(privateRedis.url);
        await inspector.call('ACL', 'SETUSER', 'app', 'on', '>app-secret', '~*', '+@all', '-@scripting');
        configuration = `${new URL(privateRedis.url).host},user=app,password=app-secret`;
      }
      cache = newCache(parseRedisConfiguration(configuration), () => {}, instanceName);
      await cache.connect();
    });

    after(async () => {
      const keys = await inspector.keys(`${instanceName}*`);
      if (keys.length > 0) await inspector.del(...keys);
      await cache.close();
      await inspector.quit();
      await privateRedis?.stop();
    });

    it('describes itself without secrets', () => {
      expect(cache.description).to.match(/^redis \S+:\d+/);
    });

    it('stores the .NET hash layout: absexp, sldexp and the exact bytes, with the sliding window as TTL', async () => {
      await cache.set('layout', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      const hash = await inspector.hgetallBuffer(`${instanceName}layout`);
      expect(Object.keys(hash).sort()).to.deep.equal(['absexp', 'data', 'sldexp']);
      expect(hash['absexp']?.toString()).to.equal('-1');
      expect(hash['sldexp']?.toString()).to.equal(TWENTY_MINUTES_TICKS);
      expect(hash['data']?.equals(BLOB)).to.equal(true);
      expect(await inspector.ttl(`${instanceName}layout`)).to.be.within(1199, 1200);
      expect((await cache.get('layout'))?.equals(BLOB)).to.equal(true);
    });

    it('refuses an entry whose expiry fields are not .NET ticks, naming the key and the field', async () => {
      const key = `${instanceName}malformed`;
      for (const [field, value] of [['absexp', 'soon'], ['sldexp', '12e9'], ['sldexp', '1'.repeat(20)], ['absexp', '--1']] as const) {
        await inspector.del(key);
        await inspector.hset(key, 'absexp', '-1', 'sldexp', TWENTY_MINUTES_TICKS, 'data', BLOB, field, value);
        const error = await rejectionOf(cache.get('malformed'));
        expect((error as Error).message, `${field} = ${value}`).to.equal(`Redis key '${key}' holds a malformed '${field}' field; expected .NET ticks.`);
      }
      // The longest tick count .NET writes, and a negative one, are both tick counts.
      await inspector.hset(key, 'absexp', '-1', 'sldexp', '9'.repeat(19), 'data', BLOB);
      expect((await cache.get('malformed'))?.equals(BLOB)).to.equal(true);
      await inspector.hset(key, 'absexp', '-5', 'sldexp', '-1');
      expect((await cache.get('malformed'))?.equals(BLOB)).to.equal(true);
    });

    it('writes the absolute expiry as DateTime ticks and caps the TTL at it', async () => {
      const absoluteExpiration = new Date(Date.now() + 90_000);
      await cache.set('absolute', BLOB, { absoluteExpiration, slidingExpirationMs: TWENTY_MINUTES_MS });
      const [absexp, sldexp] = await inspector.hmget(`${instanceName}absolute`, 'absexp', 'sldexp');
      expect(absexp).to.equal(String(ticksFromUnixMs(absoluteExpiration.getTime())));
      expect(sldexp).to.equal(TWENTY_MINUTES_TICKS);
      expect(await inspector.ttl(`${instanceName}absolute`)).to.be.within(88, 90);
    });

    it('reads the relative form as now + duration', async () => {
      const before = Date.now();
      await cache.set('relative', BLOB, { absoluteExpirationRelativeToNowMs: 30_000 });
      const after = Date.now();
      const absexp = BigInt((await inspector.hget(`${instanceName}relative`, 'absexp')) ?? 'missing');
      expect(absexp >= ticksFromUnixMs(before + 30_000) && absexp <= ticksFromUnixMs(after + 30_000)).to.equal(true);
      expect(await inspector.hget(`${instanceName}relative`, 'sldexp')).to.equal('-1');
      expect(await inspector.ttl(`${instanceName}relative`)).to.be.within(28, 30);
    });

    it('sends no EXPIRE without an expiry, leaving an earlier TTL as it was', async () => {
      await cache.set('no-expiry', BLOB, {});
      expect(await inspector.ttl(`${instanceName}no-expiry`)).to.equal(-1);
      expect(await inspector.hmget(`${instanceName}no-expiry`, 'absexp', 'sldexp')).to.deep.equal(['-1', '-1']);
      await inspector.expire(`${instanceName}no-expiry`, 500);
      await cache.set('no-expiry', BLOB, {});
      expect(await inspector.ttl(`${instanceName}no-expiry`)).to.be.within(499, 500);
    });

    it('slides the TTL on get and on refresh', async () => {
      const key = `${instanceName}slide`;
      await cache.set('slide', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      await inspector.expire(key, 100);
      await cache.get('slide');
      expect(await inspector.ttl(key)).to.be.within(1199, 1200);
      await inspector.expire(key, 100);
      await cache.refresh('slide');
      expect(await inspector.ttl(key)).to.be.within(1199, 1200);
      await inspector.expire(key, 100);
      await cache.get('slide', { expectedSlidingMs: TWENTY_MINUTES_MS });
      expect(await inspector.ttl(key)).to.be.within(1199, 1200);
    });

    it('uses PEXPIRE for a window that is not whole seconds, after truncating the TTL at set', async () => {
      const key = `${instanceName}sub-second`;
      await cache.set('sub-second', BLOB, { slidingExpirationMs: 1500 });
      expect(await inspector.pttl(key)).to.be.within(1, 1000);
      await cache.refresh('sub-second');
      expect(await inspector.pttl(key)).to.be.within(1001, 1500);
    });

    it('deletes at once when the window truncates to zero seconds, as .NET does', async () => {
      await cache.set('half-second', BLOB, { slidingExpirationMs: 500 });
      expect(await inspector.exists(`${instanceName}half-second`)).to.equal(0);
    });

    it('corrects a hinted get when the stored window differs from the hint', async () => {
      const key = `${instanceName}hint-mismatch`;
      await cache.set('hint-mismatch', BLOB, { slidingExpirationMs: 60_000 });
      expect((await cache.get('hint-mismatch', { expectedSlidingMs: TWENTY_MINUTES_MS }))?.equals(BLOB)).to.equal(true);
      expect(await inspector.ttl(key)).to.be.within(59, 60);
    });

    it('restores the absolute expiry after a hinted get on an entry without a sliding window', async () => {
      const key = `${instanceName}hint-absolute`;
      await cache.set('hint-absolute', BLOB, { absoluteExpirationRelativeToNowMs: 30_000 });
      await cache.get('hint-absolute', { expectedSlidingMs: TWENTY_MINUTES_MS });
      expect(await inspector.ttl(key)).to.be.within(28, 30);
    });

    it('removes the TTL again after a hinted get on an entry with no expiry', async () => {
      const key = `${instanceName}hint-none`;
      await cache.set('hint-none', BLOB, {});
      await cache.get('hint-none', { expectedSlidingMs: TWENTY_MINUTES_MS });
      expect(await inspector.ttl(key)).to.equal(-1);
    });

    it('returns null for a missing key, hinted or not, and creates nothing', async () => {
      expect(await cache.get('missing')).to.equal(null);
      expect(await cache.get('missing', { expectedSlidingMs: TWENTY_MINUTES_MS })).to.equal(null);
      await cache.refresh('missing');
      expect(await inspector.exists(`${instanceName}missing`)).to.equal(0);
    });

    it('removes with DEL', async () => {
      await cache.set('gone', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      await cache.remove('gone');
      expect(await inspector.exists(`${instanceName}gone`)).to.equal(0);
      expect(await cache.get('gone')).to.equal(null);
    });

    it('rejects expiries .NET rejects', async () => {
      expect(await rejectionOf(cache.set('bad', BLOB, { absoluteExpiration: new Date(Date.now() - 1) }))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cache.set('bad', BLOB, { slidingExpirationMs: 0 }))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cache.set('bad', BLOB, { absoluteExpirationRelativeToNowMs: -5 }))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cache.get('bad', { expectedSlidingMs: 0 }))).to.be.instanceOf(RangeError);
    });

    it('lets exactly one of two racing instances create a shared value', async () => {
      const other = newCache(parseRedisConfiguration(configuration), () => {}, instanceName);
      try {
        await other.connect();
        const [first, second] = await Promise.all([cache.getOrCreateShared('ring', 'A'), other.getOrCreateShared('ring', 'B')]);
        expect(first).to.equal(second);
        expect(['A', 'B']).to.include(first);
        expect(await other.getOrCreateShared('ring', 'C')).to.equal(first);
        expect(await inspector.get(`${instanceName}ring`)).to.equal(first);
        await other.setShared('ring', 'rotated');
        expect(await cache.getOrCreateShared('ring', 'D')).to.equal('rotated');
      } finally {
        await other.close();
      }
    });

    it('passes Redis server errors on as CacheUnavailableError with their message', async () => {
      await inspector.set(`${instanceName}a-string`, 'not a hash');
      const error = await rejectionOf(cache.get('a-string'));
      expect(error).to.be.instanceOf(CacheUnavailableError);
      expect((error as CacheUnavailableError).message).to.match(/^WRONGTYPE/);
    });
  });

  describe('round trips (private redis, so no other client disturbs the command statistics)', () => {
    let redis: PrivateRedis;
    let cache: RedisDistributedCache;
    let stats: Redis;

    before(async () => {
      redis = await startPrivateRedis();
      cache = newCache(parseRedisConfiguration(redis.url));
      await cache.connect();
      stats = inspectorFor(redis.url);
      await cache.set('session', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
    });

    after(async () => {
      await cache?.close();
      await stats?.quit();
      await redis?.stop();
    });

    async function measure(action: () => Promise<unknown>): Promise<{ writes: number; calls: Record<string, number> }> {
      const before = await commandCalls(stats);
      const writes = await socketWritesDuring(singleNodeClient(cache), action);
      return { writes, calls: callsBetween(before, await commandCalls(stats)) };
    }

    it('reads and slides in one round trip, hinted or not: one script that runs HMGET and EXPIRE', async () => {
      let value: Buffer | null = null;
      const hinted = await measure(async () => {
        value = await cache.get('session', { expectedSlidingMs: TWENTY_MINUTES_MS });
      });
      expect(value).to.deep.equal(BLOB);
      expect(hinted.writes).to.equal(1);
      expect(hinted.calls).to.deep.equal({ evalsha: 1, hmget: 1, expire: 1 });
      const unhinted = await measure(() => cache.get('session'));
      expect(unhinted.writes).to.equal(1);
      expect(unhinted.calls).to.deep.equal({ evalsha: 1, hmget: 1, expire: 1 });
    });

    it('writes hash and TTL in one round trip: one script that runs HSET and EXPIRE', async () => {
      const { writes, calls } = await measure(() => cache.set('session', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS }));
      expect(writes).to.equal(1);
      expect(calls).to.deep.equal({ evalsha: 1, hset: 1, expire: 1 });
    });

    it('sends the commands of one turn of the event loop in one write', async () => {
      const { writes, calls } = await measure(() => Promise.all([cache.get('session'), cache.get('missing'), cache.remove('other')]));
      expect(writes).to.equal(1);
      expect(calls).to.deep.equal({ evalsha: 2, hmget: 2, expire: 1, del: 1 });
    });

    it('cuts a busy turn into writes of 32 commands, so that Redis starts on the first ones while the rest are made', async () => {
      const exactlyTwoWrites = Array.from({ length: 64 }, (_, index) => `busy-${index}`);
      expect((await measure(() => Promise.all(exactlyTwoWrites.map((key) => cache.get(key))))).writes).to.equal(2);
      const oneMore = [...exactlyTwoWrites, 'busy-64'];
      const { writes, calls } = await measure(() => Promise.all(oneMore.map((key) => cache.get(key))));
      expect(writes).to.equal(3);
      expect(calls).to.deep.equal({ evalsha: 65, hmget: 65 });
    });

    it('creates a shared value in one round trip, with commands on its one key only (cluster-safe)', async () => {
      const { writes, calls } = await measure(() => cache.getOrCreateShared('ring', 'A'));
      expect(writes).to.equal(1);
      expect(calls).to.deep.equal({ set: 1, get: 1 });
    });

    it('sends a script again by its source when the server has forgotten it (restart, SCRIPT FLUSH)', async () => {
      await stats.script('FLUSH');
      const { calls } = await measure(() => cache.get('session'));
      expect(calls).to.include({ evalsha: 1, eval: 1, hmget: 1, expire: 1 });
      expect((await measure(() => cache.get('session'))).calls).to.deep.equal({ evalsha: 1, hmget: 1, expire: 1 });
    });
  });

  describe('a server that refuses scripts (private redis, ACL without @scripting)', () => {
    const instanceName = uniqueInstanceName();
    let redis: PrivateRedis;
    let cache: RedisDistributedCache;
    let stats: Redis;
    const logged: string[] = [];

    before(async () => {
      redis = await startPrivateRedis();
      stats = inspectorFor(redis.url);
      await stats.call('ACL', 'SETUSER', 'app', 'on', '>app-secret', '~*', '+@all', '-@scripting');
      cache = newCache(parseRedisConfiguration(`${new URL(redis.url).host},user=app,password=app-secret`), (_level, message) => logged.push(message), instanceName);
      await cache.connect();
    });

    after(async () => {
      await cache?.close();
      await stats?.quit();
      await redis?.stop();
    });

    it('falls back to the command pairs .NET sends, with the same layout and TTL, and says so once', async () => {
      await cache.set('pairs', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      expect(await cache.get('pairs', { expectedSlidingMs: TWENTY_MINUTES_MS })).to.deep.equal(BLOB);
      const calls = await commandCalls(stats);
      expect([calls.get('hset'), calls.get('hmget'), calls.get('expire'), calls.get('evalsha') ?? 0]).to.deep.equal([1, 1, 2, 0]);
      const [absexp, sldexp] = await stats.hmget(`${instanceName}pairs`, 'absexp', 'sldexp');
      expect([absexp, sldexp]).to.deep.equal(['-1', String(TWENTY_MINUTES_MS * 10_000)]);
      expect(await stats.ttl(`${instanceName}pairs`)).to.be.within(1199, 1200);
      expect(logged.filter((message) => message.includes('refuses Lua scripts'))).to.have.length(1);
    });
  });

  describe('connecting', () => {
    const deadPort = parseRedisConfiguration('127.0.0.1:1');

    it('with abortOnConnectFail true, rejects fast and names the endpoint', async () => {
      const cache = newCache(deadPort);
      try {
        const { error, ms } = await timedRejection(cache.connect());
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect((error as Error).message).to.match(
          /^It was not possible to connect to the redis server\(s\) 127\.0\.0\.1:1\. 3 connect attempt\(s\) failed; last error: .*ECONNREFUSED/,
        );
        expect(ms).to.be.below(2000);
        const later = await timedRejection(cache.get('k'));
        expect(later.error).to.be.instanceOf(CacheUnavailableError);
        expect(later.ms).to.be.below(100);
      } finally {
        await cache.close();
      }
    });

    it('with abortOnConnectFail false, resolves at once, warns, and fails calls instead of holding them', async () => {
      const recorder = new LogRecorder();
      const cache = newCache({ ...deadPort, abortOnConnectFail: false }, recorder.log);
      try {
        await cache.connect();
        // Issued while the first attempt is still under way: it waits in the offline queue until that attempt fails.
        const queued = await timedRejection(cache.get('k'));
        expect(queued.error).to.be.instanceOf(CacheUnavailableError);
        expect(queued.ms).to.be.below(1000);
        const warning = await recorder.next('warning', 'not reachable yet');
        expect(warning.message).to.include('127.0.0.1:1');
        const later = await timedRejection(cache.set('k', BLOB, { slidingExpirationMs: 1000 }));
        expect(later.error).to.be.instanceOf(CacheUnavailableError);
        expect(later.ms).to.be.below(100);
      } finally {
        await cache.close();
      }
    });

    it('bounds every command by the timeout when the server accepts but never answers', async () => {
      const sockets = new Set<Socket>();
      const silent: Server = createServer((socket) => {
        sockets.add(socket);
        socket.resume();
      });
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      const address = silent.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const cache = newCache({ ...parseRedisConfiguration(`127.0.0.1:${port},syncTimeout=300`), abortOnConnectFail: false });
      try {
        await cache.connect();
        const { error, ms } = await timedRejection(cache.get('k'));
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect(ms).to.be.below(1500);
      } finally {
        await cache.close();
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });

    it('rejects use after close', async () => {
      const cache = newCache(parseRedisConfiguration(SHARED_REDIS_URL));
      await cache.connect();
      await cache.close();
      await cache.close();
      expect(await rejectionOf(cache.get('k'))).to.be.instanceOf(CacheUnavailableError);
      expect(await rejectionOf(cache.connect())).to.be.instanceOf(CacheUnavailableError);
    });
  });

  describe('outage and recovery (private redis)', () => {
    let redis: PrivateRedis;
    let cache: RedisDistributedCache;
    let recorder: LogRecorder;

    beforeEach(async () => {
      redis = await startPrivateRedis();
      recorder = new LogRecorder();
      cache = newCache(parseRedisConfiguration(redis.url), recorder.log);
      await cache.connect();
    });

    afterEach(async () => {
      await cache?.close();
      await redis?.stop();
    });

    it('fails fast while redis is down and works again once it is back, without a new cache', async () => {
      await cache.set('k', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      await redis.kill();

      const calls: Array<() => Promise<unknown>> = [
        () => cache.get('k', { expectedSlidingMs: TWENTY_MINUTES_MS }),
        () => cache.get('k'),
        () => cache.set('k', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS }),
        () => cache.refresh('k'),
        () => cache.remove('k'),
        () => cache.getOrCreateShared('ring', 'A'),
      ];
      for (const call of calls) {
        const { error, ms } = await timedRejection(call());
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect(ms).to.be.below(1000);
      }
      await recorder.next('warning', 'Lost the connection');
      // connect() reports the outage but must not stop the reconnecting that brings the cache back below.
      expect(await rejectionOf(cache.connect())).to.be.instanceOf(CacheUnavailableError);

      await redis.restart();
      await whenReady(singleNodeClient(cache));
      await cache.set('k', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
      expect(await cache.get('k', { expectedSlidingMs: TWENTY_MINUTES_MS })).to.deep.equal(BLOB);
      await recorder.next('information', 'Reconnected');
    });

    it('fails a command already sent when the connection drops, instead of holding it for the timeout', async () => {
      const admin = inspectorFor(redis.url);
      try {
        // Paused, the server holds the command unanswered, so it is still in flight when the server dies.
        await admin.client('PAUSE', 10_000, 'ALL');
        const inFlight = timedRejection(cache.get('k'));
        while (singleNodeClient(cache).commandQueue.length === 0) await new Promise(setImmediate);
        const killed = performance.now();
        await redis.kill();
        const { error } = await inFlight;
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect(performance.now() - killed).to.be.below(1000);
      } finally {
        admin.disconnect();
      }
    });

    it('can connect() again after giving up, once redis is back', async () => {
      await redis.kill();
      const fresh = newCache(parseRedisConfiguration(redis.url));
      try {
        expect(await rejectionOf(fresh.connect())).to.be.instanceOf(CacheUnavailableError);
        await redis.restart();
        await fresh.connect();
        await fresh.set('k', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
        expect(await fresh.get('k')).to.deep.equal(BLOB);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('TLS with a password (private redis)', () => {
    const password = 'p@ss:w/rd';
    let redis: PrivateRedis;

    before(async () => {
      redis = await startPrivateRedis({ tls: true, password });
    });

    after(async () => {
      await redis?.stop();
    });

    function tlsSettings(secret: string): RedisConnectionSettings {
      return parseRedisConfiguration(`rediss://default:${encodeURIComponent(secret)}@127.0.0.1:${redis.port}`);
    }

    it('connects through a rediss:// URL when told to trust the test CA', async () => {
      const instanceName = uniqueInstanceName();
      const cache = newCache({ ...tlsSettings(password), extraTlsOptions: { ca: redis.caPem } }, () => {}, instanceName);
      try {
        await cache.connect();
        expect(cache.description).to.equal(`redis 127.0.0.1:${redis.port} (tls, user default)`);
        await cache.set('k', BLOB, { slidingExpirationMs: TWENTY_MINUTES_MS });
        expect(await cache.get('k', { expectedSlidingMs: TWENTY_MINUTES_MS })).to.deep.equal(BLOB);
        expect(await singleNodeClient(cache).hget(`${instanceName}k`, 'sldexp')).to.equal(TWENTY_MINUTES_TICKS);
      } finally {
        await cache.close();
      }
    });

    it('refuses a certificate from an unknown CA', async () => {
      const cache = newCache({ ...tlsSettings(password), connectRetry: 1 });
      try {
        const error = await rejectionOf(cache.connect());
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect((error as Error).message).to.match(/certificate/);
      } finally {
        await cache.close();
      }
    });

    it('reports a wrong password', async () => {
      const cache = newCache({ ...tlsSettings('wrong'), extraTlsOptions: { ca: redis.caPem }, connectRetry: 1 });
      try {
        const error = await rejectionOf(cache.connect());
        expect(error).to.be.instanceOf(CacheUnavailableError);
        expect((error as Error).message).to.match(/WRONGPASS/);
      } finally {
        await cache.close();
      }
    });
  });
});
