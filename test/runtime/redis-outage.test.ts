import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { getKrSessionInt32, setKrSessionInt32, writeKrJsonResponse } from '../../src/index.ts';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import type { RedisCacheLogLevel } from '../../src/runtime/cache/redis/redis-cache.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import type { LogLevel } from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { CookieJar } from '../support/https-client.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { sessionApp } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

const LEVELS: Record<RedisCacheLogLevel, LogLevel> = { debug: 'Debug', information: 'Information', warning: 'Warning', error: 'Error' };
const FAILED_REQUESTS = 30;
/** The old reconnect back-off cap: an outage that reaches it shows whether recovery waits for it. */
const OLD_BACKOFF_CAP_MS = 2000;

describe('a Redis outage seen by session routes (private redis)', function () {
  this.timeout(30_000);
  let redis: PrivateRedis;
  let cache: RedisDistributedCache;
  let logger: CaptureLogger;
  let app: SessionApp;
  const jar = new CookieJar();

  /** The client's next `event`; events.once would reject on the 'error' events an outage brings. */
  const next = (event: string): Promise<unknown[]> => new Promise((resolve) => (cache.client ?? expect.fail('The cache has no client yet.')).once(event, (...args: unknown[]) => resolve(args)));

  /** Log lines written at the default level (Information) and above, since the index given. */
  const linesSince = (index: number) => logger.events.slice(index).filter((event) => event.level !== 'Debug');

  before(async () => {
    redis = await startPrivateRedis();
    logger = new CaptureLogger();
    cache = new RedisDistributedCache(parseRedisConfiguration(redis.configuration), {
      instanceName: 'outage:',
      log: (level, message, error) => logger.write(LEVELS[level], message, error),
    });
    await cache.connect();
    app = sessionApp({
      cache,
      logger,
      session: { protectionKeys: ['outage test secret, at least 32 characters long'] },
      routes: {
        '/increment': async () => {
          const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
          await setKrSessionInt32({ key: 'n', value: n + 1 });
          writeKrJsonResponse({ inputObject: { n: n + 1 } });
        },
      },
    });
    expect((await app.request('/increment', { jar })).status).to.equal(200);
  });

  after(async () => {
    await cache?.close();
    await redis?.stop();
  });

  it('logs the first failure with its stack, then one short line per failed request, and one line when Redis is back', async () => {
    const start = logger.events.length;
    await redis.kill();
    for (let request = 0; request < FAILED_REQUESTS; request++) {
      const response = await app.request('/increment', { jar });
      expect(response.status).to.equal(503);
    }
    const ready = next('ready');
    await redis.restart();
    await ready;
    expect((await app.request('/increment', { jar })).status).to.equal(200);

    const outage = linesSince(start);
    const listing = outage.map((event) => `${event.level} ${event.message}`).join('\n');
    const lines = {
      lost: 'Lost the connection',
      unavailable: 'Session store unavailable while serving GET /increment',
      readException: 'Session cache read exception',
      connectionError: `Redis 127.0.0.1:${redis.port} connection error`,
      reconnected: 'Reconnected',
      expired: 'Accessing expired session',
    };
    const count = (prefix: string) => outage.filter((event) => event.message.startsWith(prefix)).length;
    expect(count(lines.lost), listing).to.equal(1);
    // One line per failed request; the first request may also log the read that was in flight when the connection dropped.
    expect(count(lines.unavailable), listing).to.equal(FAILED_REQUESTS);
    expect(count(lines.readException), listing).to.be.at.most(1);
    // The connection's own errors share one line per window, and this outage is shorter than a window.
    expect(count(lines.connectionError), listing).to.be.at.most(1);
    expect(count(lines.reconnected), listing).to.equal(1);
    // The restarted Redis is empty, so the cookie names a session it no longer holds.
    expect(count(lines.expired), listing).to.equal(1);
    const unaccounted = outage.filter((event) => !Object.values(lines).some((prefix) => event.message.startsWith(prefix)));
    expect(unaccounted, listing).to.deep.equal([]);
    // The connection's first error and the session's first failure carry a stack; every later line is one line.
    expect(outage.filter((event) => event.error !== undefined).length, listing).to.be.at.most(2);
    expect(outage.every((event) => !event.message.includes('\n'))).to.equal(true);
  });

  it('answers a session request within 1 s of Redis coming back, after an outage longer than the old back-off cap', async () => {
    await redis.kill();
    // Readiness, not a sleep: ioredis announces each reconnect attempt with its delay; wait until the back-off has
    // grown for longer than the old cap in total.
    const outageStarted = performance.now();
    while (performance.now() - outageStarted < OLD_BACKOFF_CAP_MS + 1000) await next('reconnecting');
    expect((await app.request('/increment', { jar })).status).to.equal(503);

    const ready = next('ready');
    await redis.restart();
    const restarted = performance.now();
    await ready;
    expect((await app.request('/increment', { jar })).status).to.equal(200);
    expect(performance.now() - restarted).to.be.below(1000);
  });
});
