import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { startScriptedSentinel } from '../support/scripted-sentinel.ts';
import type { ScriptedSentinel } from '../support/scripted-sentinel.ts';

const ENTRY = { slidingExpirationMs: 60_000 };

/** Resolves once `condition` holds, checking every 10 ms; rejects with `message` after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once a write succeeds, retrying every 50 ms; rejects with the last failure after `timeoutMs`. */
async function untilWritable(cache: RedisDistributedCache, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await cache.set('probe', Buffer.from('v'), ENTRY);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('Redis Sentinel: +switch-master while the client asks a Sentinel for the primary', function () {
  this.timeout(20_000);
  let old: PrivateRedis;
  let promoted: PrivateRedis;
  let sentinel: ScriptedSentinel;
  let cache: RedisDistributedCache;

  before(async () => {
    [old, promoted] = await Promise.all([startPrivateRedis(), startPrivateRedis()]);
    sentinel = await startScriptedSentinel({ host: '127.0.0.1', port: old.port });
    const settings = parseRedisConfiguration(`127.0.0.1:${sentinel.port},serviceName=kestrun,asyncTimeout=1000`);
    cache = new RedisDistributedCache(settings, { instanceName: 'switch:', log: () => undefined });
  });

  after(async () => {
    await cache?.close();
    await sentinel?.close();
    await Promise.all([old?.stop(), promoted?.stop()]);
  });

  it('reconnects to the promoted primary (ioredis abandons that connect attempt, which must not end the client)', async () => {
    await cache.connect();
    await cache.set('k', Buffer.from('v'), ENTRY);
    // ioredis's failover detector subscribes once the connection to the primary is up.
    await until(() => sentinel.subscribers() > 0, 5000, 'the failover detector never subscribed');
    // The next question for the primary comes from the reconnect after the kill; the switch is announced while it
    // waits for its answer, which then names the promoted primary.
    sentinel.beforeNextAnswer = async () => {
      sentinel.primary = { host: '127.0.0.1', port: promoted.port };
      sentinel.publishSwitch();
      await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await old.kill();
    await untilWritable(cache, 5000);
    const check = new Redis({ host: '127.0.0.1', port: promoted.port });
    try {
      expect(await check.exists('switch:probe')).to.equal(1);
    } finally {
      check.disconnect();
    }
  });
});
