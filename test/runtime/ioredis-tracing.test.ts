import { expect } from 'chai';
import { tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { getKrSessionInt32, setKrSessionInt32, writeKrJsonResponse } from '../../src/index.ts';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import { currentContext } from '../../src/runtime/context/current-context.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { CookieJar } from '../support/https-client.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { sessionApp } from '../support/session-harness.ts';

/** What ioredis 6 publishes on `ioredis:command` (tracePromise adds result or error), with our clock readings. */
interface CommandSpan {
  readonly command: string;
  result?: unknown;
  error?: unknown;
  startedAt?: number;
  endedAt?: number;
}

/** Long enough that a span which ends before Redis answers cannot pass for one that waited. */
const PAUSE_MS = 300;

describe('ioredis command tracing of session commands (private redis)', function () {
  this.timeout(20_000);
  let redis: PrivateRedis;
  let cache: RedisDistributedCache;
  let admin: Redis;

  before(async () => {
    redis = await startPrivateRedis();
    cache = new RedisDistributedCache(parseRedisConfiguration(redis.configuration), { instanceName: 'trace:', log: () => {} });
    await cache.connect();
    admin = new Redis(redis.url);
  });

  after(async () => {
    admin?.disconnect();
    await cache?.close();
    await redis?.stop();
  });

  it("ends a session load's and commit's span once Redis has answered, with the reply as its result", async () => {
    const spans: CommandSpan[] = [];
    const handlers = {
      start: (span: CommandSpan) => {
        if (span.command !== 'evalsha') return;
        span.startedAt = performance.now();
        spans.push(span);
      },
      asyncEnd: (span: CommandSpan) => {
        span.endedAt = performance.now();
      },
      end: () => {},
      asyncStart: () => {},
      error: () => {},
    };
    // Paused, the server holds every command unanswered until the pause ends. The route pauses it before its load,
    // and again (the first pause over, as the load was answered) before its commit.
    let pausing = false;
    const pause = async (): Promise<void> => {
      if (pausing) await admin.client('PAUSE', PAUSE_MS, 'ALL');
    };
    const app = sessionApp({
      cache,
      session: { protectionKeys: ['tracing test secret, at least 32 characters long'] },
      routes: {
        '/increment': async () => {
          await pause();
          const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
          await pause();
          await setKrSessionInt32({ key: 'n', value: n + 1 });
          writeKrJsonResponse({ inputObject: { n: n + 1 } });
        },
      },
    });
    const jar = new CookieJar();
    expect((await app.request('/increment', { jar })).json()).to.deep.equal({ n: 1 });

    const channel = tracingChannel<string, CommandSpan>('ioredis:command');
    channel.subscribe(handlers);
    try {
      pausing = true;
      expect((await app.request('/increment', { jar })).json()).to.deep.equal({ n: 2 });
    } finally {
      channel.unsubscribe(handlers);
    }

    expect(spans.map((span) => span.command)).to.deep.equal(['evalsha', 'evalsha']);
    const [load, commit] = spans as [CommandSpan, CommandSpan];
    for (const span of [load, commit]) {
      expect(span.error).to.equal(undefined);
      expect(span.endedAt, 'the span ended').to.be.a('number');
      expect((span.endedAt as number) - (span.startedAt as number), span === load ? 'load' : 'commit').to.be.at.least(PAUSE_MS * 0.8);
    }
    expect(Buffer.isBuffer(load.result), 'the load span carries the stored session').to.equal(true);
    expect(commit.result).to.equal(1);
  });

  it("sends session commands outside the route's context, which the route still has after each await", async () => {
    // A route's context on ioredis's per-command objects kept whole requests alive through garbage collections.
    const seenByCommands: unknown[] = [];
    const handlers = {
      start: (span: CommandSpan) => {
        if (span.command === 'evalsha') seenByCommands.push(currentContext());
      },
      end: () => {},
      asyncStart: () => {},
      asyncEnd: () => {},
      error: () => {},
    };
    const seenByRoute: unknown[] = [];
    const app = sessionApp({
      cache,
      session: { protectionKeys: ['tracing test secret, at least 32 characters long'] },
      routes: {
        '/increment': async () => {
          const n = (await getKrSessionInt32({ key: 'n' })) ?? 0;
          seenByRoute.push(currentContext());
          await setKrSessionInt32({ key: 'n', value: n + 1 });
          writeKrJsonResponse({ inputObject: { n: n + 1 } });
        },
      },
    });
    const jar = new CookieJar();
    await app.request('/increment', { jar });
    const channel = tracingChannel<string, CommandSpan>('ioredis:command');
    channel.subscribe(handlers);
    try {
      expect((await app.request('/increment', { jar })).json()).to.deep.equal({ n: 2 });
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(seenByCommands).to.deep.equal([undefined, undefined]);
    expect(seenByRoute).to.have.length(2);
    expect(seenByRoute.every((context) => context !== undefined)).to.equal(true);
  });
});
