import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { probeTopology } from '../../src/runtime/cache/redis/topology-probe.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';

describe('several endpoints without serviceName (private primary and replica)', function () {
  this.timeout(20_000);
  let primary: PrivateRedis;
  let replica: PrivateRedis;

  before(async () => {
    [primary, replica] = await Promise.all([startPrivateRedis(), startPrivateRedis()]);
    const client = new Redis(replica.port, '127.0.0.1');
    try {
      await client.call('REPLICAOF', '127.0.0.1', String(primary.port));
    } finally {
      client.disconnect();
    }
  });

  after(async () => {
    await Promise.all([primary?.stop(), replica?.stop()]);
  });

  it('connects to the primary among them, wherever it is in the list, as StackExchange.Redis does', async () => {
    const settings = parseRedisConfiguration(`127.0.0.1:${replica.port},127.0.0.1:${primary.port}`);
    expect(await probeTopology(settings)).to.deep.equal({ kind: 'standalone', endpoint: { host: '127.0.0.1', port: primary.port } });
    const cache = new RedisDistributedCache(settings, { instanceName: 'probe:', log: () => undefined });
    try {
      await cache.connect();
      expect(cache.topology).to.equal('standalone');
      await cache.set('k', Buffer.from('v'), { slidingExpirationMs: 60_000 });
      expect(cache.description).to.equal(`redis 127.0.0.1:${replica.port},127.0.0.1:${primary.port}`);
    } finally {
      await cache.close();
    }
  });

  it('says what is supported when none of them is a primary', async () => {
    const settings = parseRedisConfiguration(`127.0.0.1:${replica.port},127.0.0.1:1,connectTimeout=300`);
    const error = await probeTopology(settings).then(
      () => expect.fail('a replica was taken for a primary'),
      (failure: unknown) => failure as Error,
    );
    expect(error.message).to.equal(
      `None of the Redis endpoints is a primary (127.0.0.1:${replica.port} answered as replicas). Name the primary, ` +
        'a node of a Redis Cluster, or Sentinels with serviceName=<name>.',
    );
  });

  it('uses a single endpoint whatever its role', async () => {
    const settings = parseRedisConfiguration(`127.0.0.1:${replica.port}`);
    expect(await probeTopology(settings)).to.deep.equal({ kind: 'standalone', endpoint: { host: '127.0.0.1', port: replica.port } });
  });
});
