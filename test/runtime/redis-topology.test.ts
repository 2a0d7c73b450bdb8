import { expect } from 'chai';
import { reconnectDelayMs } from '../../src/runtime/cache/redis/ioredis-options.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { clusterOptions, sentinelOptions } from '../../src/runtime/cache/redis/redis-topology.ts';

describe('redis topology options', () => {
  describe('sentinelOptions', () => {
    it('asks the Sentinels for the service, with the password and user for both Sentinels and data nodes', () => {
      const options = sentinelOptions(
        parseRedisConfiguration('s1,s2:5000,serviceName=mymaster,user=app,password=pw,defaultDatabase=3,asyncTimeout=700'),
        reconnectDelayMs,
      );
      expect(options.sentinels).to.deep.equal([
        { host: 's1', port: 26379 },
        { host: 's2', port: 5000 },
      ]);
      expect(options).to.include({
        name: 'mymaster',
        username: 'app',
        password: 'pw',
        sentinelUsername: 'app',
        sentinelPassword: 'pw',
        db: 3,
        sentinelCommandTimeout: 700,
        failoverDetector: true,
        maxRetriesPerRequest: 0,
      });
      expect(options).to.not.have.property('host');
      expect(options.tls).to.equal(undefined);
    });

    it('uses TLS towards Sentinels and data nodes with ssl=true; sslHost names the primary certificate', () => {
      const options = sentinelOptions(parseRedisConfiguration('sentinel.example,serviceName=m,ssl=true,sslHost=redis.example'), reconnectDelayMs);
      expect(options).to.include({ enableTLSForSentinelMode: true });
      expect(options.tls).to.deep.equal({ servername: 'redis.example' });
      expect(options.sentinelTLS).to.deep.equal({ servername: 'redis.example' });
      const withoutHost = sentinelOptions(parseRedisConfiguration('sentinel.example,serviceName=m,ssl=true'), reconnectDelayMs);
      expect(withoutHost.tls).to.deep.equal({});
      expect(withoutHost.sentinelTLS).to.deep.equal({ servername: 'sentinel.example' });
    });

    it('paces the rounds over the Sentinels with the reconnect delay, so abortConnect can stop them', () => {
      const options = sentinelOptions(parseRedisConfiguration('s1,serviceName=m'), () => null);
      expect(options.sentinelRetryStrategy?.(1)).to.equal(null);
      expect(options.retryStrategy?.(1)).to.equal(null);
    });
  });

  describe('clusterOptions', () => {
    it('starts from every endpoint, with the node options of a single-node client', () => {
      const { nodes, options } = clusterOptions(parseRedisConfiguration('a:7000,b:7001,password=pw,name=web,asyncTimeout=900'), reconnectDelayMs);
      expect(nodes).to.deep.equal([
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ]);
      expect(options.redisOptions).to.include({ password: 'pw', connectionName: 'web', maxRetriesPerRequest: 0, socketTimeout: 900 });
      expect(options.redisOptions).to.not.have.property('host');
      expect(options.redisOptions).to.not.have.property('retryStrategy');
      expect(options).to.include({ lazyConnect: true, slotsRefreshTimeout: 900 });
    });

    it('refuses a database other than 0, which a Cluster does not have', () => {
      expect(() => clusterOptions(parseRedisConfiguration('a:7000,defaultDatabase=2'), reconnectDelayMs)).to.throw(
        'Redis Cluster a:7000 has only database 0; remove defaultDatabase=2.',
      );
      expect(clusterOptions(parseRedisConfiguration('a:7000,defaultDatabase=0'), reconnectDelayMs).options.redisOptions).to.not.have.property('db');
    });
  });
});
