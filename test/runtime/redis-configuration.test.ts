import { expect } from 'chai';
import { reconnectDelayMs, toIoredisOptions } from '../../src/runtime/cache/redis/ioredis-options.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import type { RedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { describeRedisSettings } from '../../src/runtime/cache/redis/redis-connection-settings.ts';
import type { RedisConnectionSettings } from '../../src/runtime/cache/redis/redis-connection-settings.ts';

const DEFAULTS = {
  ssl: false,
  abortOnConnectFail: true,
  connectTimeoutMs: 5000,
  syncTimeoutMs: 5000,
  asyncTimeoutMs: 5000,
  connectRetry: 3,
  keepAliveSeconds: 60,
} as const;

const parsesTo: ReadonlyArray<readonly [string, RedisConfiguration, RedisConnectionSettings]> = [
  // StackExchange.Redis configuration strings
  ['a bare host', 'localhost', { ...DEFAULTS, endpoints: [{ host: 'localhost' }] }],
  [
    'padded tokens, empty tokens, = in a value, case-insensitive keys and values',
    ' cache.example.com:6380 , PassWord = s3cr=t== ,, SSL=True, abortconnect=FALSE , ',
    { ...DEFAULTS, endpoints: [{ host: 'cache.example.com', port: 6380 }], password: 's3cr=t==', ssl: true, abortOnConnectFail: false },
  ],
  [
    'syncTimeout drives asyncTimeout and connectTimeout',
    'host,syncTimeout=10000',
    { ...DEFAULTS, endpoints: [{ host: 'host' }], syncTimeoutMs: 10000, asyncTimeoutMs: 10000, connectTimeoutMs: 10000 },
  ],
  [
    'connectTimeout never defaults below 5 s',
    'host,syncTimeout=1000',
    { ...DEFAULTS, endpoints: [{ host: 'host' }], syncTimeoutMs: 1000, asyncTimeoutMs: 1000 },
  ],
  [
    'every supported key',
    'host:7000,user=app,password=pw,ssl=yes,sslHost=redis.internal,abortConnect=0,connectTimeout=700,syncTimeout=2000,' +
      'asyncTimeout=3000,connectRetry=5,defaultDatabase=2,name=web-1,keepAlive=30',
    {
      endpoints: [{ host: 'host', port: 7000 }],
      user: 'app',
      password: 'pw',
      ssl: true,
      sslHost: 'redis.internal',
      abortOnConnectFail: false,
      connectTimeoutMs: 700,
      syncTimeoutMs: 2000,
      asyncTimeoutMs: 3000,
      connectRetry: 5,
      defaultDatabase: 2,
      clientName: 'web-1',
      keepAliveSeconds: 30,
    },
  ],
  ['duplicate endpoints', 'host:6379,host:6379,HOST:6379', { ...DEFAULTS, endpoints: [{ host: 'host', port: 6379 }] }],
  [
    'Sentinels with a service name',
    'sentinel-1:26379,sentinel-2:26379,serviceName=mymaster,password=pw',
    {
      ...DEFAULTS,
      endpoints: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26379 },
      ],
      serviceName: 'mymaster',
      password: 'pw',
    },
  ],
  ['IPv6 endpoints', '[::1]:6380,::1,[::2]', { ...DEFAULTS, endpoints: [{ host: '::1', port: 6380 }, { host: '::1' }, { host: '::2' }] }],
  [
    'deprecated keys are ignored',
    'host,highPriorityThreads=4,preserveAsyncOrder=false,responseTimeout=1,writeBuffer=8192',
    { ...DEFAULTS, endpoints: [{ host: 'host' }] },
  ],
  ['a non-positive keepAlive means the default', 'host,keepAlive=-1', { ...DEFAULTS, endpoints: [{ host: 'host' }] }],
  ['an empty password is no password', 'host,password=', { ...DEFAULTS, endpoints: [{ host: 'host' }] }],
  [
    'Azure Cache for Redis on its TLS port',
    'contoso.redis.cache.windows.net:6380,password=key',
    { ...DEFAULTS, endpoints: [{ host: 'contoso.redis.cache.windows.net', port: 6380 }], password: 'key', ssl: true, abortOnConnectFail: false },
  ],
  [
    'Azure on the plain port keeps TLS off',
    'contoso.redis.cache.windows.net:6379',
    { ...DEFAULTS, endpoints: [{ host: 'contoso.redis.cache.windows.net', port: 6379 }], abortOnConnectFail: false },
  ],
  [
    'Azure Managed Redis on port 10000',
    'x.westeurope.redis.azure.net:10000',
    { ...DEFAULTS, endpoints: [{ host: 'x.westeurope.redis.azure.net', port: 10000 }], ssl: true, abortOnConnectFail: false },
  ],
  // URLs
  ['a plain URL', 'redis://localhost', { ...DEFAULTS, endpoints: [{ host: 'localhost' }], ssl: false }],
  [
    'an Upstash URL as given',
    'rediss://default:AXyzTOKEN123@eu1-fine-cat-12345.upstash.io:6379',
    {
      ...DEFAULTS,
      endpoints: [{ host: 'eu1-fine-cat-12345.upstash.io', port: 6379 }],
      user: 'default',
      password: 'AXyzTOKEN123',
      ssl: true,
    },
  ],
  [
    'a password-only URL with escapes and a database',
    'redis://:p%40ss%3Aw%2Crd@10.0.0.5:6390/3',
    { ...DEFAULTS, endpoints: [{ host: '10.0.0.5', port: 6390 }], password: 'p@ss:w,rd', defaultDatabase: 3 },
  ],
  ['an IPv6 TLS URL, scheme in capitals', 'REDISS://[::1]:7000/0', { ...DEFAULTS, endpoints: [{ host: '::1', port: 7000 }], ssl: true, defaultDatabase: 0 }],
  ['a URL ending in /', 'redis://host/', { ...DEFAULTS, endpoints: [{ host: 'host' }] }],
  // ConfigurationOptions objects
  [
    'a camelCase options object',
    {
      endPoints: ['127.0.0.1:6379'],
      ssl: false,
      password: 'pw',
      user: 'u',
      abortOnConnectFail: false,
      connectTimeout: 1000,
      syncTimeout: 2000,
      asyncTimeout: 3000,
      defaultDatabase: 1,
      clientName: 'kestrun',
      connectRetry: 2,
      sslHost: 'redis.local',
      keepAlive: 10,
    },
    {
      endpoints: [{ host: '127.0.0.1', port: 6379 }],
      ssl: false,
      password: 'pw',
      user: 'u',
      abortOnConnectFail: false,
      connectTimeoutMs: 1000,
      syncTimeoutMs: 2000,
      asyncTimeoutMs: 3000,
      defaultDatabase: 1,
      clientName: 'kestrun',
      connectRetry: 2,
      sslHost: 'redis.local',
      keepAliveSeconds: 10,
    },
  ],
  [
    'a PascalCase object as ported from PowerShell, with $null meaning unset',
    { EndPoints: ['a:1', 'b', 'a:1'], Ssl: true, Password: 'pw', AbortOnConnectFail: false, SyncTimeout: 100, ClientName: null },
    {
      ...DEFAULTS,
      endpoints: [{ host: 'a', port: 1 }, { host: 'b' }],
      ssl: true,
      password: 'pw',
      abortOnConnectFail: false,
      syncTimeoutMs: 100,
      asyncTimeoutMs: 100,
    },
  ],
];

const rejectsWith: ReadonlyArray<readonly [RedisConfiguration, string]> = [
  ['', 'The Redis configuration string is empty.'],
  ['  ', 'The Redis configuration string is empty.'],
  ['host,foo=bar', "Keyword 'foo' is not supported."],
  ['host,allowAdmin=true', "Keyword 'allowAdmin' is not supported."],
  ['host,$INFO=', "Keyword '$INFO' is not supported."],
  ['host,syncTimeout=abc', "Keyword 'syncTimeout' requires an integer value; the value 'abc' is not recognised."],
  ['host,connectRetry=3000000000', "Keyword 'connectRetry' requires an integer value; the value '3000000000' is not recognised."],
  ['host,keepAlive=1.5', "Keyword 'keepAlive' requires an integer value; the value '1.5' is not recognised."],
  ['host,ssl=maybe', "Keyword 'ssl' requires a Boolean value; the value 'maybe' is not recognised."],
  ['host,abortConnect=', "Keyword 'abortConnect' requires a Boolean value; the value '' is not recognised."],
  ['host,SyncTimeout=0', "Keyword 'SyncTimeout' has a minimum value of '1'; the value '0' is not permitted."],
  ['host,defaultDatabase=-1', "Keyword 'defaultDatabase' has a minimum value of '0'; the value '-1' is not permitted."],
  ['host:abc', "Endpoint 'host:abc' has an invalid port 'abc'; expected a number from 1 to 65535."],
  ['host:70000', "Endpoint 'host:70000' has an invalid port '70000'; expected a number from 1 to 65535."],
  ['host:', "Endpoint 'host:' has an invalid port ''; expected a number from 1 to 65535."],
  ['[::1', "Endpoint '[::1' is malformed; write an IPv6 endpoint as [address]:port."],
  ['[::1]x', "Endpoint '[::1]x' is malformed; write an IPv6 endpoint as [address]:port."],
  ['a:b:c', "Endpoint 'a:b:c' is malformed; expected host[:port] or [ipv6]:port."],
  ['=host', "Endpoint '=host' does not name a valid host; expected host[:port] or [ipv6]:port."],
  ['!/tmp/redis.sock', "Endpoint '!/tmp/redis.sock' is a Unix domain socket, which is not supported."],
  ['ssl=true,password=pw', 'The Redis configuration string names no endpoint; give at least one host[:port].'],
  ['http://host:6379', "Unsupported Redis URL scheme 'http:'; use redis:// or rediss:// (TLS)."],
  ['redis://host:abc', "The Redis URL has an invalid port 'abc'; expected a number from 1 to 65535."],
  ['redis://user:pw@host:99999', "The Redis URL has an invalid port '99999'; expected a number from 1 to 65535."],
  ['redis://host:0', "Endpoint 'host:0' has an invalid port '0'; expected a number from 1 to 65535."],
  ['redis://u:secret@ho st:6379', 'The Redis URL is malformed; expected redis[s]://[[user]:password@]host[:port][/database].'],
  ['redis://', 'The Redis URL names no host; expected redis[s]://host[:port].'],
  ['redis://host/cache', "The Redis URL path '/cache' is not a database number; expected /0, /1, …."],
  ['redis://host?tls=true', 'The Redis URL has a query or fragment, which is not supported; use a configuration string for options.'],
  ['redis://:100%zz@host', "The Redis URL's user or password holds an invalid %-escape; encode '%' as %25."],
  ['redis://app@host', "The Redis URL names user 'app' without a password; expected redis[s]://user:password@host."],
  [{ EndPoints: ['a:1'], Foo: 1 }, "Property 'Foo' is not supported."],
  [{ endPoints: 'a:1' }, "Property 'endPoints' requires a list of 'host:port' strings."],
  [{ endPoints: ['a:1'], SyncTimeout: '100' }, "Property 'SyncTimeout' requires an integer value; the value '100' is not recognised."],
  [{ endPoints: ['a:1'], ssl: 'true' }, "Property 'ssl' requires a Boolean value; the value 'true' is not recognised."],
  [{ endPoints: ['a:1'], password: 42 }, "Property 'password' requires a string value; the value '42' is not recognised."],
  [{ endPoints: ['a:1'], connectTimeout: 0 }, "Property 'connectTimeout' has a minimum value of '1'; the value '0' is not permitted."],
  [{ endPoints: ['a:1'], ssl: true, Ssl: false }, "Properties 'ssl' and 'Ssl' set the same option; give it once."],
  [{ endPoints: ['a:x'] }, "Endpoint 'a:x' has an invalid port 'x'; expected a number from 1 to 65535."],
  [{ ssl: true }, 'The Redis ConfigurationOptions names no endpoint; give at least one host[:port].'],
];

function messageOfFailure(configuration: RedisConfiguration): string {
  try {
    parseRedisConfiguration(configuration);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the configuration to be rejected');
}

describe('Redis configuration', () => {
  describe('parseRedisConfiguration', () => {
    for (const [name, configuration, expected] of parsesTo) {
      it(`reads ${name}`, () => {
        expect(parseRedisConfiguration(configuration)).to.deep.equal(expected);
      });
    }

    for (const [configuration, message] of rejectsWith) {
      it(`rejects ${JSON.stringify(configuration)}`, () => {
        expect(messageOfFailure(configuration)).to.equal(message);
      });
    }

    it('never repeats a password from a malformed URL', () => {
      expect(messageOfFailure('redis://u:secret@ho st:6379')).not.to.include('secret');
    });
  });

  describe('toIoredisOptions', () => {
    it('maps an Upstash URL to a TLS connection that checks the host name', () => {
      const options = toIoredisOptions(parseRedisConfiguration('rediss://default:TOKEN@eu1-x.upstash.io:6379'));
      const { retryStrategy, reconnectOnError, ...rest } = options;
      expect(rest).to.deep.equal({
        host: 'eu1-x.upstash.io',
        port: 6379,
        username: 'default',
        password: 'TOKEN',
        tls: { servername: 'eu1-x.upstash.io' },
        connectTimeout: 5000,
        socketTimeout: 5000,
        keepAlive: 60_000,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
      });
      expect(retryStrategy).to.equal(reconnectDelayMs);
      // A primary demoted to replica answers writes with READONLY: reconnect, and find the primary again.
      expect(reconnectOnError?.(new Error("READONLY You can't write against a read only replica."))).to.equal(true);
      expect(reconnectOnError?.(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).to.equal(false);
    });

    it('defaults the port to 6380 with TLS and 6379 without', () => {
      expect(toIoredisOptions(parseRedisConfiguration('myhost,ssl=true'))).to.include({ port: 6380 });
      expect(toIoredisOptions(parseRedisConfiguration('myhost'))).to.include({ port: 6379 });
    });

    it('maps database, client name, ACL user and the async timeout', () => {
      const options = toIoredisOptions(
        parseRedisConfiguration('h:1,defaultDatabase=4,name=web,user=app,password=pw,syncTimeout=2000,asyncTimeout=800'),
      );
      expect(options).to.include({ db: 4, connectionName: 'web', username: 'app', password: 'pw', socketTimeout: 800 });
      expect(options.tls).to.equal(undefined);
    });

    it('uses sslHost as the TLS server name, and none for an IP address', () => {
      expect(toIoredisOptions(parseRedisConfiguration('127.0.0.1,ssl=true,sslHost=redis.local')).tls).to.deep.equal({
        servername: 'redis.local',
      });
      expect(toIoredisOptions(parseRedisConfiguration('127.0.0.1,ssl=true')).tls).to.deep.equal({});
    });

    it('merges extraTlsOptions into the TLS options', () => {
      const settings = { ...parseRedisConfiguration('rediss://h:6379'), extraTlsOptions: { ca: 'PEM', servername: 'x' } };
      expect(toIoredisOptions(settings).tls).to.deep.equal({ ca: 'PEM', servername: 'x' });
    });

    it('connects to the first of several endpoints', () => {
      expect(toIoredisOptions(parseRedisConfiguration('first:1,second:2'))).to.include({ host: 'first', port: 1 });
    });

    it('connects to the endpoint it is given', () => {
      const settings = parseRedisConfiguration('first:1,second,ssl=true');
      expect(toIoredisOptions(settings, { host: 'second' })).to.include({ host: 'second', port: 6380 });
      expect(toIoredisOptions(settings, { host: 'second' }).tls).to.deep.equal({ servername: 'second' });
    });
  });

  describe('reconnectDelayMs', () => {
    it('backs off and never stops retrying or waits more than 0.5 s', () => {
      const delays = Array.from({ length: 200 }, (_, index) => reconnectDelayMs(index + 1));
      expect(delays.every((delay) => Number.isInteger(delay) && delay >= 50 && delay <= 500)).to.equal(true);
      expect(reconnectDelayMs(1)).to.be.below(150);
      expect(reconnectDelayMs(200)).to.be.at.least(500 - 1);
    });
  });

  describe('describeRedisSettings', () => {
    it('describes TLS and the user, never the password', () => {
      const description = describeRedisSettings(parseRedisConfiguration('rediss://default:TOKEN@127.0.0.1:6380'));
      expect(description).to.equal('127.0.0.1:6380 (tls, user default)');
    });

    it('resolves the default port and names every endpoint', () => {
      expect(describeRedisSettings(parseRedisConfiguration('[::1],other:1,password=pw,defaultDatabase=2'))).to.equal(
        '[::1]:6379,other:1 (db 2)',
      );
      expect(describeRedisSettings(parseRedisConfiguration('localhost'))).to.equal('localhost:6379');
    });

    it('names the Sentinel service and the Sentinels, whose default port is 26379', () => {
      expect(describeRedisSettings(parseRedisConfiguration('s1,s2:5000,serviceName=mymaster,password=pw,ssl=true'))).to.equal(
        'service mymaster via sentinel(s) s1:26379,s2:5000 (tls)',
      );
    });
  });
});
