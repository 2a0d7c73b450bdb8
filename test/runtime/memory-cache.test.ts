import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mock } from 'node:test';
import { CacheUnavailableError } from '../../src/runtime/cache/distributed-cache.ts';
import { MemoryDistributedCache } from '../../src/runtime/cache/memory-cache.ts';
import type { MemoryDistributedCacheOptions } from '../../src/runtime/cache/memory-cache.ts';

const START = Date.UTC(2026, 0, 1);

class ManualClock {
  now = START;
  reads = 0;
  readonly read = (): number => {
    this.reads++;
    return this.now;
  };
  advance(ms: number): void {
    this.now += ms;
  }
}

const bytes = (length: number, fill = 1): Buffer => Buffer.alloc(length, fill);

/** The cache only reads a value's length, so the default limit can be reached without allocating 200 MB. */
function bufferClaimingLength(length: number): Buffer {
  return Object.defineProperty(Buffer.alloc(0), 'length', { value: length });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('MemoryDistributedCache', () => {
  let clock: ManualClock;
  const caches: MemoryDistributedCache[] = [];

  function createCache(options: Omit<MemoryDistributedCacheOptions, 'clock'> = {}): MemoryDistributedCache {
    const cache = new MemoryDistributedCache({ ...options, clock: clock.read });
    caches.push(cache);
    return cache;
  }

  beforeEach(() => {
    clock = new ManualClock();
  });

  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
  });

  describe('basics', () => {
    it('describes itself as memory and connects at once', async () => {
      const cache = createCache();
      expect(cache.description).to.equal('memory');
      await cache.connect();
    });

    it('returns the stored buffer itself, as .NET does, and null for a missing key', async () => {
      const cache = createCache();
      const value = Buffer.from('hello');
      await cache.set('k', value, {});
      expect(await cache.get('k')).to.equal(value);
      expect(await cache.get('other')).to.equal(null);
    });

    it('keeps an entry without expiry options indefinitely', async () => {
      const cache = createCache();
      await cache.set('k', bytes(1), {});
      clock.advance(365 * 24 * 3600 * 1000);
      expect(await cache.get('k')).to.not.equal(null);
    });

    it('removes entries and tracks count and total size', async () => {
      const cache = createCache();
      await cache.set('a', bytes(3), {});
      await cache.set('b', bytes(5), {});
      expect([cache.count, cache.totalSize]).to.deep.equal([2, 8]);
      await cache.set('a', bytes(10), {});
      expect([cache.count, cache.totalSize]).to.deep.equal([2, 15]);
      await cache.remove('a');
      await cache.remove('missing');
      expect([cache.count, cache.totalSize]).to.deep.equal([1, 5]);
      expect(await cache.get('a')).to.equal(null);
    });

    it('settles get and set as promises, failures as rejections', async () => {
      const cache = createCache();
      const outcome = <T>(label: string, promise: Promise<T>): Promise<string> =>
        promise.then(
          (value) => `${label} fulfil ${value === undefined ? 'undefined' : String(value)}`,
          (error: unknown) => `${label} fail ${(error as Error).name}`,
        );
      const outcomes = [
        await outcome('set', cache.set('k', Buffer.from('v'), {})),
        await outcome('get', cache.get('k')),
        await outcome('missing', cache.get('missing')),
        await outcome('invalid', cache.set('bad', Buffer.from('v'), { slidingExpirationMs: 0 })),
      ];
      await cache.close();
      outcomes.push(await outcome('closed', cache.get('k')));
      expect(outcomes).to.deep.equal([
        'set fulfil undefined',
        'get fulfil v',
        'missing fulfil null',
        'invalid fail RangeError',
        'closed fail CacheUnavailableError',
      ]);
    });

    it('shares values through getOrCreateShared and setShared', async () => {
      const cache = createCache();
      expect(await cache.getOrCreateShared('ring', 'first')).to.equal('first');
      expect(await cache.getOrCreateShared('ring', 'second')).to.equal('first');
      await cache.setShared('ring', 'rotated');
      expect(await cache.getOrCreateShared('ring', 'third')).to.equal('rotated');
    });
  });

  describe('sliding expiry', () => {
    it('expires an entry once the window has passed since the last access', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), { slidingExpirationMs: 1000 });
      clock.advance(999);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(999);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(1000);
      expect(await cache.get('k')).to.equal(null);
      expect([cache.count, cache.totalSize]).to.deep.equal([0, 0]);
    });

    it('slides on refresh', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), { slidingExpirationMs: 1000 });
      for (let i = 0; i < 5; i++) {
        clock.advance(900);
        await cache.refresh('k');
      }
      clock.advance(900);
      expect(await cache.get('k')).to.not.equal(null);
    });

    it('does not revive an expired entry on refresh, and removes it', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), { slidingExpirationMs: 1000 });
      clock.advance(1000);
      await cache.refresh('k');
      expect(cache.count).to.equal(0);
      await cache.refresh('missing');
    });

    it('restarts the window when the entry is set again', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), { slidingExpirationMs: 1000 });
      clock.advance(800);
      await cache.set('k', bytes(4), { slidingExpirationMs: 1000 });
      clock.advance(800);
      expect(await cache.get('k')).to.not.equal(null);
    });
  });

  describe('absolute expiry', () => {
    it('expires at a fixed time however often the entry is read', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), { absoluteExpiration: new Date(START + 2500), slidingExpirationMs: 1000 });
      clock.advance(900);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(900);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(699);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(1);
      expect(await cache.get('k')).to.equal(null);
    });

    it('expires relative to the time of the set', async () => {
      const cache = createCache();
      clock.advance(5000);
      await cache.set('k', bytes(4), { absoluteExpirationRelativeToNowMs: 2000 });
      clock.advance(1999);
      expect(await cache.get('k')).to.not.equal(null);
      clock.advance(1);
      expect(await cache.get('k')).to.equal(null);
    });

    it('uses the earlier of an absolute and a relative expiry', async () => {
      const cache = createCache();
      await cache.set('early-fixed', bytes(1), {
        absoluteExpiration: new Date(START + 1000),
        absoluteExpirationRelativeToNowMs: 5000,
      });
      await cache.set('early-relative', bytes(1), {
        absoluteExpiration: new Date(START + 5000),
        absoluteExpirationRelativeToNowMs: 1000,
      });
      clock.advance(1000);
      expect(await cache.get('early-fixed')).to.equal(null);
      expect(await cache.get('early-relative')).to.equal(null);
    });
  });

  describe('entry option validation', () => {
    it('rejects a sliding window that is not positive', async () => {
      const cache = createCache();
      for (const slidingExpirationMs of [0, -1, NaN]) {
        const error = await rejectionOf(cache.set('k', bytes(1), { slidingExpirationMs }));
        expect(error).to.be.instanceOf(RangeError);
        expect((error as RangeError).message).to.match(/^The sliding expiration value must be positive/);
      }
      expect(cache.count).to.equal(0);
    });

    it('rejects a relative expiry that is not positive', async () => {
      const cache = createCache();
      const error = await rejectionOf(cache.set('k', bytes(1), { absoluteExpirationRelativeToNowMs: 0 }));
      expect(error).to.be.instanceOf(RangeError);
      expect((error as RangeError).message).to.match(/^The relative expiration value must be positive/);
    });

    it('rejects an absolute expiry that is not in the future', async () => {
      const cache = createCache();
      for (const at of [START, START - 1, NaN]) {
        const error = await rejectionOf(cache.set('k', bytes(1), { absoluteExpiration: new Date(at) }));
        expect(error).to.be.instanceOf(RangeError);
        expect((error as RangeError).message).to.equal('The absolute expiration value must be in the future.');
      }
    });

    it('leaves an existing entry alone when the new options are invalid', async () => {
      const cache = createCache();
      await cache.set('k', Buffer.from('old'), {});
      await rejectionOf(cache.set('k', Buffer.from('new'), { slidingExpirationMs: 0 }));
      expect((await cache.get('k'))?.toString()).to.equal('old');
    });
  });

  describe('size limit', () => {
    it('stores an entry that exactly fills the limit', async () => {
      const cache = createCache({ sizeLimit: 100 });
      await cache.set('a', bytes(60), {});
      await cache.set('b', bytes(40), {});
      expect(cache.totalSize).to.equal(100);
    });

    it('counts a replaced entry as freed when checking the limit', async () => {
      const cache = createCache({ sizeLimit: 100 });
      await cache.set('a', bytes(60), {});
      await cache.set('b', bytes(40), {});
      await cache.set('a', bytes(60, 2), {});
      expect((await cache.get('a'))?.[0]).to.equal(2);
      expect(cache.totalSize).to.equal(100);
    });

    it('drops a write that does not fit, and the entry it would have replaced', async () => {
      const cache = createCache({ sizeLimit: 100, compactionPercentage: 0 });
      await cache.set('a', bytes(50), {});
      await cache.set('b', bytes(40), {});
      await cache.set('b', bytes(61), {});
      expect(await cache.get('b')).to.equal(null);
      expect(await cache.get('a')).to.not.equal(null);
      expect([cache.count, cache.totalSize]).to.deep.equal([1, 50]);
    });

    it('rejects a single value larger than the limit', async () => {
      const cache = createCache({ sizeLimit: 100 });
      await cache.set('huge', bytes(101), {});
      expect([cache.count, cache.totalSize]).to.deep.equal([0, 0]);
    });

    it('compacts to sizeLimit × (1 − compactionPercentage), least recently used first', async () => {
      const cache = createCache({ sizeLimit: 100, compactionPercentage: 0.25 });
      for (const key of ['a', 'b', 'c', 'd', 'e']) {
        await cache.set(key, bytes(20), {});
        clock.advance(10);
      }
      // Reading 'a' and 'c' makes 'b' the least recently used, then 'd'.
      await cache.get('a');
      clock.advance(10);
      await cache.get('c');
      clock.advance(10);
      await cache.set('f', bytes(1), {});
      expect(await cache.get('f')).to.equal(null);
      expect(cache.totalSize).to.be.at.most(75);
      expect(await cache.get('b')).to.equal(null);
      expect(await cache.get('d')).to.equal(null);
      for (const key of ['a', 'c', 'e']) expect(await cache.get(key), key).to.not.equal(null);
      expect(cache.totalSize).to.equal(60);
    });

    it('removes expired entries before live ones when compacting', async () => {
      const cache = createCache({ sizeLimit: 100, compactionPercentage: 0.25 });
      await cache.set('old', bytes(20), {});
      await cache.set('short', bytes(40), { slidingExpirationMs: 50 });
      clock.advance(10);
      await cache.set('live', bytes(40), {});
      clock.advance(100);
      await cache.set('new', bytes(10), {});
      expect(await cache.get('new')).to.equal(null);
      expect(await cache.get('old')).to.not.equal(null);
      expect(await cache.get('live')).to.not.equal(null);
      expect(cache.totalSize).to.equal(60);
    });

    it('does not compact when the cache is already at or below the target', async () => {
      const cache = createCache({ sizeLimit: 100, compactionPercentage: 0.5 });
      await cache.set('a', bytes(50), {});
      await cache.set('big', bytes(51), {});
      expect([cache.count, cache.totalSize]).to.deep.equal([1, 50]);
    });

    it('defaults to 200 MB', async () => {
      const cache = createCache();
      await cache.set('a', bufferClaimingLength(200 * 1024 * 1024), {});
      expect(cache.totalSize).to.equal(200 * 1024 * 1024);
      await cache.set('b', bytes(1), {});
      expect(await cache.get('b')).to.equal(null);
    });
  });

  describe('expiration scan', () => {
    it('removes expired entries without their being accessed once the scan frequency has passed', async () => {
      const cache = createCache({ expirationScanFrequencyMs: 1000 });
      await cache.set('short', bytes(4), { slidingExpirationMs: 100 });
      await cache.set('long', bytes(4), { slidingExpirationMs: 10_000 });
      clock.advance(1000);
      await cache.get('unrelated');
      expect(cache.count).to.equal(2);
      clock.advance(1);
      await cache.get('unrelated');
      expect(cache.count).to.equal(1);
      expect(cache.totalSize).to.equal(4);
    });

    it('runs from a timer in an idle process', async () => {
      mock.timers.enable({ apis: ['setInterval'] });
      try {
        const cache = createCache({ expirationScanFrequencyMs: 1000 });
        await cache.set('k', bytes(4), { slidingExpirationMs: 100 });
        clock.advance(500);
        mock.timers.tick(1000);
        expect(cache.count).to.equal(0);
        await cache.close();
      } finally {
        mock.timers.reset();
      }
    });

    it('stops the timer on close', async () => {
      mock.timers.enable({ apis: ['setInterval'] });
      try {
        const cache = createCache({ expirationScanFrequencyMs: 1000 });
        await cache.close();
        const readsAtClose = clock.reads;
        mock.timers.tick(5000);
        expect(clock.reads).to.equal(readsAtClose);
      } finally {
        mock.timers.reset();
      }
    });

    it('lets the process exit while a cache is open', function () {
      this.timeout(20_000);
      const moduleUrl = new URL('../../src/runtime/cache/memory-cache.ts', import.meta.url).href;
      const script =
        `const { MemoryDistributedCache } = await import(${JSON.stringify(moduleUrl)});` +
        `globalThis.cache = new MemoryDistributedCache({ expirationScanFrequencyMs: 10 });`;
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        timeout: 15_000,
        encoding: 'utf8',
      });
      expect(result.error, 'the process did not exit by itself').to.equal(undefined);
      expect(result.status, result.stderr).to.equal(0);
    });
  });

  describe('close', () => {
    it('drops all entries and shared values, is safe to call twice, and fails later use', async () => {
      const cache = createCache();
      await cache.set('k', bytes(4), {});
      await cache.setShared('s', 'v');
      await cache.close();
      await cache.close();
      expect([cache.count, cache.totalSize]).to.deep.equal([0, 0]);
      expect(await rejectionOf(cache.get('k'))).to.be.instanceOf(CacheUnavailableError);
      expect(await rejectionOf(cache.set('k', bytes(1), {}))).to.be.instanceOf(CacheUnavailableError);
      expect(await rejectionOf(cache.getOrCreateShared('s', 'x'))).to.be.instanceOf(CacheUnavailableError);
    });
  });

  describe('options validation', () => {
    it('rejects nonsensical options', () => {
      expect(() => new MemoryDistributedCache({ sizeLimit: 0 })).to.throw(RangeError, /sizeLimit/);
      expect(() => new MemoryDistributedCache({ compactionPercentage: 1.5 })).to.throw(RangeError, /compactionPercentage/);
      expect(() => new MemoryDistributedCache({ expirationScanFrequencyMs: 0 })).to.throw(RangeError, /expirationScanFrequencyMs/);
      expect(() => new MemoryDistributedCache({ expirationScanFrequencyMs: 2 ** 31 })).to.throw(RangeError, /expirationScanFrequencyMs/);
    });
  });
});
