import { expect } from 'chai';
import { Redis } from 'ioredis';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { startCountingProxy } from '../support/tcp-proxy.ts';
import type { CountingProxy } from '../support/tcp-proxy.ts';

type CommandCounts = Record<string, number>;

async function commandCounts(redis: Redis): Promise<CommandCounts> {
  const counts: CommandCounts = {};
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) {
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}

/** The commands run between two snapshots, leaving out the INFO calls that take the snapshots. */
function commandsBetween(before: CommandCounts, after: CommandCounts): CommandCounts {
  const delta: CommandCounts = {};
  for (const [command, calls] of Object.entries(after)) {
    const difference = calls - (before[command] ?? 0);
    if (difference > 0 && command !== 'info') delta[command] = difference;
  }
  return delta;
}

/**
 * What one request costs in Redis, counted on a private server: commands with INFO commandstats, round trips
 * as the client's writes through a counting proxy (a pipelined batch is one write).
 */
describe('Redis round trips per request (scripts/19.2-sessions-redis.ts)', function () {
  this.timeout(60_000);
  let redis: PrivateRedis;
  let proxy: CountingProxy;
  let server: ScriptProcess;
  let observer: Redis;
  const jar = new CookieJar();

  async function measure(path: string): Promise<{ roundTrips: number; commands: CommandCounts; status: number }> {
    const writesBefore = proxy.writes();
    const before = await commandCounts(observer);
    const response = await fetchUrl(`${server.url}${path}`, { jar });
    const after = await commandCounts(observer);
    return { roundTrips: proxy.writes() - writesBefore, commands: commandsBetween(before, after), status: response.status };
  }

  before(async () => {
    redis = await startPrivateRedis();
    proxy = await startCountingProxy(redis.port);
    observer = new Redis(redis.port, '127.0.0.1');
    server = await startScript('19.2-sessions-redis.ts', { args: ['--upstash-url', `redis://127.0.0.1:${proxy.port}`] });
    // Establish the session (and load the key ring) before counting.
    expect((await fetchUrl(`${server.url}/session/set?key=color&value=purple`, { jar })).status).to.equal(200);
  });

  after(async () => {
    await server?.stop();
    observer?.disconnect();
    await proxy?.close();
    await redis?.stop();
  });

  it('sends no command at all for a route that does not touch the session, even with a valid cookie', async () => {
    const result = await measure('/hello');
    expect(result.status).to.equal(200);
    expect(result.commands).to.deep.equal({});
    expect(result.roundTrips).to.equal(0);
  });

  it('makes exactly one round trip for a read-only session route: one script that reads and refreshes', async () => {
    const result = await measure('/session/get?key=color');
    expect(result.status).to.equal(200);
    expect(result.commands).to.deep.equal({ evalsha: 1, hmget: 1, expire: 1 });
    expect(result.roundTrips).to.equal(1);
  });

  it('makes two round trips to read, modify and commit', async () => {
    const result = await measure('/session/counter');
    expect(result.status).to.equal(200);
    expect(result.commands).to.deep.equal({ evalsha: 2, hmget: 1, expire: 2, hset: 1 });
    expect(result.roundTrips).to.equal(2);
  });
});
