import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import {
  addKrDistributedRedisCache,
  addKrMapRoute,
  addKrSession,
  enableKrConfiguration,
  getKrSessionInt32,
  KrCmdletError,
  newKrServer,
  setKrSessionInt32,
  setKrSessionString,
  stopKrServer,
  writeKrJsonResponse,
} from '../../src/index.ts';
import type { KrRedisCacheOptions } from '../../src/index.ts';
import type { RedisConnectionSettings } from '../../src/runtime/cache/redis/redis-connection-settings.ts';
import { explicitProtector, KEY_RING_NAME } from '../../src/runtime/session/key-ring.ts';
import { createSessionKey } from '../../src/runtime/session/session-format.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';
import { sessionKeyOf } from '../support/session-harness.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COOKIE = '.AspNetCore.Session';

type Input = NonNullable<Parameters<typeof addKrDistributedRedisCache>[0]>;

/** The error a call throws, asserting that it is a cmdlet error. */
function errorOf(run: () => unknown): KrCmdletError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(KrCmdletError);
    return error as KrCmdletError;
  }
  expect.fail('expected the call to throw');
}

function redisSettings(definition: ReturnType<typeof addKrDistributedRedisCache>): RedisConnectionSettings & { instanceName: string } {
  const cache = definition.cache;
  if (cache?.kind !== 'redis') expect.fail(`expected a redis cache, got ${JSON.stringify(cache)}`);
  return { ...cache.settings, instanceName: cache.instanceName };
}

describe('Add-KrDistributedRedisCache', () => {
  describe('definition', () => {
    let name: string;

    beforeEach(() => {
      name = `add-redis-${randomUUID()}`;
      newKrServer({ name, logger: new CaptureLogger(), default: true });
    });

    afterEach(async () => {
      await stopKrServer({ server: name, quiet: true });
    });

    it('reads a StackExchange.Redis configuration string', () => {
      const settings = redisSettings(addKrDistributedRedisCache({ configuration: 'cache.test:6390,password=p=w,ssl=true,abortConnect=false', instanceName: 'app:' }));
      expect(settings).to.deep.include({
        endpoints: [{ host: 'cache.test', port: 6390 }],
        password: 'p=w',
        ssl: true,
        abortOnConnectFail: false,
        instanceName: 'app:',
      });
    });

    it('reads redis:// and rediss:// URLs, with user, password and database', () => {
      expect(redisSettings(addKrDistributedRedisCache({ configuration: 'redis://127.0.0.1:6379/2' }))).to.deep.include({
        endpoints: [{ host: '127.0.0.1', port: 6379 }],
        ssl: false,
        defaultDatabase: 2,
        instanceName: '',
      });
    });

    it('turns TLS on for rediss:// and takes the credentials from the user info', () => {
      expect(redisSettings(addKrDistributedRedisCache({ configuration: 'rediss://default:s%40cret@upstash.test:6380' }))).to.deep.include({
        endpoints: [{ host: 'upstash.test', port: 6380 }],
        ssl: true,
        user: 'default',
        password: 's@cret',
      });
    });

    it('reads a ConfigurationOptions-shaped object', () => {
      const settings = redisSettings(
        addKrDistributedRedisCache({ configurationOptions: { endPoints: ['a.test:7000'], ssl: true, abortOnConnectFail: false, connectTimeout: 5000 } }),
      );
      expect(settings).to.deep.include({ endpoints: [{ host: 'a.test', port: 7000 }], ssl: true, abortOnConnectFail: false, connectTimeoutMs: 5000 });
    });

    it('prefers configurationOptions when both are given, as RedisCache.Connect does', () => {
      const settings = redisSettings(addKrDistributedRedisCache({ configuration: 'from-string:1', configurationOptions: { endPoints: ['from-object:2'] } }));
      expect(settings.endpoints).to.deep.equal([{ host: 'from-object', port: 2 }]);
    });

    it('takes the options parameter set: a RedisCacheOptions-shaped object', () => {
      const settings = redisSettings(addKrDistributedRedisCache({ options: { configuration: '127.0.0.1:6379', instanceName: 'KestrunSession_' } }));
      expect(settings).to.deep.include({ endpoints: [{ host: '127.0.0.1', port: 6379 }], instanceName: 'KestrunSession_' });
    });

    it('reads RedisCacheOptions property names case-insensitively instead of ignoring them', () => {
      const options = { Configuration: '127.0.0.1:6379', InstanceName: 'App_' } as unknown as KrRedisCacheOptions;
      expect(redisSettings(addKrDistributedRedisCache({ options }))).to.deep.include({ instanceName: 'App_' });
    });

    it('refuses the same RedisCacheOptions property twice in different spellings', () => {
      const options = { instanceName: 'a', InstanceName: 'b', configuration: 'h' } as unknown as KrRedisCacheOptions;
      expect(errorOf(() => addKrDistributedRedisCache({ options })).message).to.include("options sets 'instanceName' more than once");
    });

    it('prefers configurationOptions inside the options object too', () => {
      const settings = redisSettings(
        addKrDistributedRedisCache({ options: { configuration: 'from-string:1', configurationOptions: { endPoints: ['from-object:2'] } } }),
      );
      expect(settings.endpoints).to.deep.equal([{ host: 'from-object', port: 2 }]);
    });

    it('refuses unknown RedisCacheOptions properties and mixing the two parameter sets', () => {
      expect(errorOf(() => addKrDistributedRedisCache({ options: { host: 'x' } as unknown as KrRedisCacheOptions })).message).to.match(
        /^Add-KrDistributedRedisCache: Cannot bind parameter 'Options'/,
      );
      expect(errorOf(() => addKrDistributedRedisCache({ options: { configuration: 'h' }, instanceName: 'x' })).message).to.include(
        'Parameter set cannot be resolved',
      );
    });

    it('requires a connection: configuration or configurationOptions', () => {
      const error = errorOf(() => addKrDistributedRedisCache({ instanceName: 'x' }));
      expect(error.message).to.equal(
        'Add-KrDistributedRedisCache: Give the Redis connection as configuration (a configuration string or URL) or configurationOptions.',
      );
      expect(error.parameter).to.equal('Configuration');
      expect(errorOf(() => addKrDistributedRedisCache()).parameter).to.equal('Configuration');
    });

    for (const [configuration, fragment] of [
      ['   ', 'The Redis configuration string is empty.'],
      ['cache.test:port', "Endpoint 'cache.test:port' has an invalid port 'port'"],
      ['cache.test,bogus=1', "Keyword 'bogus' is not supported."],
      ['cache.test,ssl=maybe', "Keyword 'ssl' requires a Boolean value"],
      ['ftp://cache.test', "Unsupported Redis URL scheme 'ftp:'"],
      ['redis://cache.test/db', "The Redis URL path '/db' is not a database number"],
      ['password=only', 'names no endpoint'],
    ] as const) {
      it(`refuses ${JSON.stringify(configuration)} with an error naming the cmdlet and the parameter`, () => {
        const error = errorOf(() => addKrDistributedRedisCache({ configuration }));
        expect(error.message).to.match(/^Add-KrDistributedRedisCache: /);
        expect(error.message).to.include(fragment);
        expect(error.parameter).to.equal('Configuration');
      });
    }

    it('refuses malformed configurationOptions, naming that parameter', () => {
      const error = errorOf(() => addKrDistributedRedisCache({ configurationOptions: { endPoints: [], ssl: true } }));
      expect(error.message).to.match(/^Add-KrDistributedRedisCache: .*names no endpoint/);
      expect(error.parameter).to.equal('ConfigurationOptions');
      const unknown = errorOf(() => addKrDistributedRedisCache({ configurationOptions: { endPoints: ['h'], colour: 'red' } as unknown as Input['configurationOptions'] }));
      expect(unknown.message).to.include("Property 'colour' is not supported.");
    });

    it('never echoes a password in its errors', () => {
      for (const configuration of [
        'cache.test:port,password=hunter2',
        'cache.test,password=hunter2,ssl=maybe',
        'redis://user:hunter2@cache.test/db',
        'redis://user:hunter2@cache.test:99999',
        'rediss://:hunter2@cache.test?x=1',
      ]) {
        expect(errorOf(() => addKrDistributedRedisCache({ configuration })).message, configuration).to.not.include('hunter2');
      }
    });

    it('accepts Sentinels with a serviceName', () => {
      const definition = addKrDistributedRedisCache({ configuration: 'sentinel-1,sentinel-2:26380,serviceName=mymaster' });
      expect(redisSettings(definition)).to.deep.include({
        serviceName: 'mymaster',
        endpoints: [{ host: 'sentinel-1' }, { host: 'sentinel-2', port: 26380 }],
      });
    });

    describe('replicaAcknowledgements (kestrun-ts extension)', () => {
      it('asks commits for WAIT with a default timeout of 1 s', () => {
        const definition = addKrDistributedRedisCache({ configuration: 'h', replicaAcknowledgements: 1 });
        expect(redisSettings(definition).replicaAcknowledgements).to.deep.equal({ replicas: 1, timeoutMs: 1000 });
      });

      it('defaults the timeout to half a short asyncTimeout', () => {
        const definition = addKrDistributedRedisCache({ configuration: 'h,asyncTimeout=800', replicaAcknowledgements: 2 });
        expect(redisSettings(definition).replicaAcknowledgements).to.deep.equal({ replicas: 2, timeoutMs: 400 });
      });

      it('takes the timeout given, with the Options parameter set too', () => {
        const definition = addKrDistributedRedisCache({ options: { configuration: 'h' }, replicaAcknowledgements: 1, replicaAcknowledgementTimeout: 250 });
        expect(redisSettings(definition).replicaAcknowledgements).to.deep.equal({ replicas: 1, timeoutMs: 250 });
      });

      it('is off unless asked for', () => {
        expect(redisSettings(addKrDistributedRedisCache({ configuration: 'h' }))).to.not.have.property('replicaAcknowledgements');
      });

      it("refuses a count below 1 in PowerShell's words", () => {
        const error = errorOf(() => addKrDistributedRedisCache({ configuration: 'h', replicaAcknowledgements: 0 }));
        expect(error.message).to.include("Cannot validate argument on parameter 'ReplicaAcknowledgements'. The 0 argument is less than the minimum allowed range of 1.");
      });

      it('refuses a timeout the asyncTimeout would cut short, and a timeout without a count', () => {
        const late = errorOf(() =>
          addKrDistributedRedisCache({ configuration: 'h,asyncTimeout=500', replicaAcknowledgements: 1, replicaAcknowledgementTimeout: 500 }),
        );
        expect(late.message).to.equal(
          "Add-KrDistributedRedisCache: Cannot validate argument on parameter 'ReplicaAcknowledgementTimeout'. The 500 argument must be less than the configuration's asyncTimeout (500 ms), which bounds every Redis command.",
        );
        expect(late.parameter).to.equal('ReplicaAcknowledgementTimeout');
        const alone = errorOf(() => addKrDistributedRedisCache({ configuration: 'h', replicaAcknowledgementTimeout: 100 }));
        expect(alone.message).to.equal('Add-KrDistributedRedisCache: ReplicaAcknowledgementTimeout applies only together with ReplicaAcknowledgements.');
      });
    });

    it('replaces the in-memory cache Add-KrSession added on its own', () => {
      expect(addKrSession().cache?.kind).to.equal('memory');
      const definition = addKrDistributedRedisCache({ configuration: '127.0.0.1:6379', instanceName: 'late:' });
      expect(redisSettings(definition).instanceName).to.equal('late:');
      expect(definition.session).to.not.equal(undefined);
    });

    it('supplies the cache for Add-KrSession with noDistributedMemoryCache, in either order', () => {
      addKrSession({ noDistributedMemoryCache: true });
      expect(redisSettings(addKrDistributedRedisCache({ configuration: '127.0.0.1:6379' })).endpoints).to.deep.equal([{ host: '127.0.0.1', port: 6379 }]);
    });

    it('refuses a second explicit cache with ASP.NET Core\'s message and keeps the first', () => {
      addKrDistributedRedisCache({ configuration: 'first:1' });
      const error = errorOf(() => addKrDistributedRedisCache({ configuration: 'second:2' }));
      expect(error.message).to.equal(
        'Add-KrDistributedRedisCache: A distributed cache implementation is already registered. Only one distributed cache can be registered per host.',
      );
      // Add-KrSession afterwards keeps the Redis cache that is there.
      expect(redisSettings(addKrSession()).endpoints).to.deep.equal([{ host: 'first', port: 1 }]);
    });

    it('refuses to change a server that is already configured', () => {
      enableKrConfiguration({ quiet: true });
      expect(errorOf(() => addKrDistributedRedisCache({ configuration: '127.0.0.1:6379' })).message).to.match(
        /^Add-KrDistributedRedisCache: Server '.+' is already configured/,
      );
    });

    it('returns the frozen definition', () => {
      const definition = addKrDistributedRedisCache({ configuration: '127.0.0.1:6379', passThru: true });
      expect(definition.name).to.equal(name);
      expect(Object.isFrozen(definition.cache)).to.equal(true);
    });
  });

  describe('with a real Redis', function () {
    this.timeout(20_000);
    let redis: Redis;
    const servers: InProcessServer[] = [];
    const prefixes: string[] = [];

    before(async () => {
      redis = new Redis(REDIS_URL, { lazyConnect: true });
      await redis.connect();
    });

    after(async () => {
      await redis.quit();
    });

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop()));
      // Every key this test wrote carries its unique instance name.
      for (const prefix of prefixes.splice(0)) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
    });

    function uniquePrefix(): string {
      const prefix = `kestrun-ts-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    }

    async function serve(instanceName: string, session: NonNullable<Parameters<typeof addKrSession>[0]> = {}): Promise<InProcessServer> {
      const server = await startInProcess(() => {
        addKrDistributedRedisCache({ configuration: REDIS_URL, instanceName });
        addKrSession(session);
        addKrMapRoute({
          path: '/write',
          scriptBlock: async () => {
            await setKrSessionInt32({ key: 'Key', value: 10 });
            await setKrSessionString({ key: 'name', value: 'Zoë' });
          },
        });
        addKrMapRoute({
          path: '/increment',
          scriptBlock: async () => {
            const n = ((await getKrSessionInt32({ key: 'Key' })) ?? 0) + 1;
            await setKrSessionInt32({ key: 'Key', value: n });
            writeKrJsonResponse({ inputObject: { n } });
          },
        });
        addKrMapRoute({
          path: '/read',
          scriptBlock: async () => {
            writeKrJsonResponse({ inputObject: { n: await getKrSessionInt32({ key: 'Key' }) } });
          },
        });
      });
      servers.push(server);
      return server;
    }

    it('stores the session under instanceName + session key in RedisCache\'s hash layout and binary format', async () => {
      const prefix = uniquePrefix();
      const server = await serve(prefix, { idleTimeout: 1200 });
      const jar = new CookieJar();
      expect((await fetchUrl(`${server.url}/write`, { jar })).status).to.equal(200);
      const redisKey = prefix + sessionKeyOf(jar.get(COOKIE));
      expect(await redis.type(redisKey)).to.equal('hash');
      const [absolute, sliding, data] = await redis.hmgetBuffer(redisKey, 'absexp', 'sldexp', 'data');
      expect(absolute?.toString()).to.equal('-1');
      // 20 minutes in TimeSpan ticks of 100 ns.
      expect(sliding?.toString()).to.equal('12000000000');
      const blob = data as Buffer;
      const expected = Buffer.concat([
        Buffer.from('02000002', 'hex'),
        blob.subarray(4, 20),
        Buffer.from('00034b6579000000040000000a00046e616d65000000045a6fc3ab', 'hex'),
      ]);
      expect(blob.toString('hex')).to.equal(expected.toString('hex'));
      expect(await redis.ttl(redisKey)).to.be.within(1190, 1200);
    });

    it('keeps the shared cookie-protection key ring next to the sessions', async () => {
      const prefix = uniquePrefix();
      const server = await serve(prefix);
      await fetchUrl(`${server.url}/write`);
      const ring = JSON.parse((await redis.get(prefix + KEY_RING_NAME)) as string) as { version: number; keys: unknown[] };
      expect(ring.version).to.equal(1);
      expect(ring.keys).to.have.length(1);
    });

    it('slides the TTL on a read-only request', async () => {
      const prefix = uniquePrefix();
      const server = await serve(prefix, { idleTimeout: 600 });
      const jar = new CookieJar();
      await fetchUrl(`${server.url}/write`, { jar });
      const redisKey = prefix + sessionKeyOf(jar.get(COOKIE));
      await redis.expire(redisKey, 5);
      expect((await fetchUrl(`${server.url}/read`, { jar })).json()).to.deep.equal({ n: 10 });
      expect(await redis.ttl(redisKey)).to.be.within(590, 600);
    });

    it('lets two servers with the same instance name share sessions and accept each other\'s cookies', async () => {
      const prefix = uniquePrefix();
      const first = await serve(prefix);
      const second = await serve(prefix);
      const jar = new CookieJar();
      expect((await fetchUrl(`${first.url}/increment`, { jar })).json()).to.deep.equal({ n: 1 });
      expect((await fetchUrl(`${second.url}/increment`, { jar })).json()).to.deep.equal({ n: 2 });
      expect((await fetchUrl(`${first.url}/read`, { jar })).json()).to.deep.equal({ n: 2 });
      expect(second.logger.messages('Warning')).to.deep.equal([]);
    });

    it('keeps instance names apart: another prefix has its own key ring and its own sessions', async () => {
      const first = await serve(uniquePrefix());
      const other = await serve(uniquePrefix());
      const jar = new CookieJar();
      await fetchUrl(`${first.url}/write`, { jar });
      expect((await fetchUrl(`${other.url}/read`, { jar })).json()).to.deep.equal({ n: null });
      expect(other.logger.messages('Warning').some((message) => message.includes('Error unprotecting the session cookie'))).to.equal(true);
    });
  });

  describe('with a Redis that accepts connections but never answers', function () {
    this.timeout(20_000);
    let silent: Server;
    const sockets = new Set<Socket>();
    let server: InProcessServer | undefined;

    before(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
    });

    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    after(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });

    async function serveSilent(storeErrorMode: 'Fail' | 'Degrade'): Promise<InProcessServer> {
      const address = silent.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      // abortConnect=false lets the server start; the command timeout is longer than IOTimeout, which must win.
      return startInProcess(() => {
        addKrDistributedRedisCache({ configuration: `127.0.0.1:${port},abortConnect=false,asyncTimeout=15000,connectTimeout=15000` });
        addKrSession({ ioTimeout: 1, storeErrorMode, protectionKeys: ['silent test secret, at least 32 characters'] });
        addKrMapRoute({
          path: '/increment',
          scriptBlock: async () => {
            const n = ((await getKrSessionInt32({ key: 'n' })) ?? 0) + 1;
            await setKrSessionInt32({ key: 'n', value: n });
            writeKrJsonResponse({ inputObject: { n } });
          },
        });
      });
    }

    /** A cookie for a session key of our choosing, which the server verifies with its explicit key. */
    function existingSession(): CookieJar {
      const jar = new CookieJar();
      jar.set(COOKIE, explicitProtector(['silent test']).protect(createSessionKey()));
      return jar;
    }

    it('answers 503 JSON with Retry-After within IOTimeout (storeErrorMode Fail)', async () => {
      server = await serveSilent('Fail');
      const started = performance.now();
      const response = await fetchUrl(`${server.url}/increment`, { jar: existingSession() });
      const elapsed = performance.now() - started;
      expect(response.status).to.equal(503);
      expect(response.headers['retry-after']).to.equal('5');
      expect(response.json()).to.include({ status: 503, reason: 'Service Unavailable' });
      expect(elapsed).to.be.within(950, 3000);
    });

    it('reads null, drops the write and succeeds within IOTimeout (storeErrorMode Degrade)', async () => {
      server = await serveSilent('Degrade');
      const started = performance.now();
      const response = await fetchUrl(`${server.url}/increment`, { jar: existingSession() });
      expect(response.status).to.equal(200);
      expect(response.json()).to.deep.equal({ n: 1 });
      expect(performance.now() - started).to.be.within(950, 3000);
    });
  });
});
