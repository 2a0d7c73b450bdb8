import { expect } from 'chai';
import { Cluster } from 'ioredis';
import { RedisDistributedCache } from '../../src/runtime/cache/redis/redis-cache.ts';
import { parseRedisConfiguration } from '../../src/runtime/cache/redis/redis-configuration.ts';
import { COUNTER_ROUTES, finalCounter, incrementCounts, longestMs, openSessions, request, runCounterLoad } from '../support/counter-load.ts';
import { startPrivateCluster } from '../support/private-cluster.ts';
import type { PrivateCluster } from '../support/private-cluster.ts';
import { SESSION_COOKIE, sessionApp, sessionKeyOf } from '../support/session-harness.ts';
import type { SessionApp } from '../support/session-harness.ts';

const IO_TIMEOUT_MS = 3000;
const INSTANCE = 'cluster-test:';
const PROTECTION_KEYS = ['cluster test secret, at least 32 characters long'];

describe('Redis Cluster (three private primaries)', function () {
  this.timeout(60_000);
  let cluster: PrivateCluster;
  let cache: RedisDistributedCache;
  let app: SessionApp;
  let inspector: Cluster;

  before(async () => {
    cluster = await startPrivateCluster();
    // One node named: the cache finds out it is a Cluster, as StackExchange.Redis does.
    cache = new RedisDistributedCache(parseRedisConfiguration(`${cluster.configuration(1)},asyncTimeout=1000`), {
      instanceName: INSTANCE,
      log: () => undefined,
    });
    await cache.connect();
    app = sessionApp({ cache, routes: COUNTER_ROUTES, session: { ioTimeoutMs: IO_TIMEOUT_MS, protectionKeys: PROTECTION_KEYS } });
    inspector = new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })));
  });

  after(async () => {
    await cache?.close();
    inspector?.disconnect();
    await cluster?.stop();
  });

  it('detects the Cluster from the one node named', () => {
    expect(cache.topology).to.equal('cluster');
  });

  it('spreads sessions over every primary, each a HASH in the layout of the .NET cache', async () => {
    const tallies = await openSessions(app, 24);
    const owners = new Set<number>();
    for (const tally of tallies) {
      const key = `${INSTANCE}${sessionKeyOf(tally.jar.get(SESSION_COOKIE))}`;
      expect(await inspector.type(key)).to.equal('hash');
      expect(Object.keys(await inspector.hgetall(key)).sort()).to.deep.equal(['absexp', 'data', 'sldexp']);
      owners.add(await cluster.ownerOf(await slotOf(inspector, key)));
    }
    expect([...owners].sort()).to.deep.equal([0, 1, 2]);
  });

  it('keeps the cookie-protection key ring under <instanceName>DataProtection-Keys', async () => {
    const cookieApp = sessionApp({ cache, routes: COUNTER_ROUTES, session: { ioTimeoutMs: IO_TIMEOUT_MS } });
    await openSessions(cookieApp, 1);
    const ring = JSON.parse((await inspector.get(`${INSTANCE}DataProtection-Keys`)) ?? '{}') as { keys?: unknown[] };
    expect(ring.keys).to.be.an('array').that.is.not.empty;
  });

  it('with replicaAcknowledgements, sends WAIT to the node of the key, and fails a commit no replica acknowledged', async () => {
    const settings = parseRedisConfiguration(`${cluster.configuration(0)},asyncTimeout=1000`);
    const durable = new RedisDistributedCache({ ...settings, replicaAcknowledgements: { replicas: 1, timeoutMs: 50 } }, {
      instanceName: INSTANCE,
      log: () => undefined,
    });
    try {
      await durable.connect();
      const owner = await cluster.ownerOf(await slotOf(inspector, `${INSTANCE}durable`));
      const before = await Promise.all(cluster.nodes.map((_, index) => waitCalls(cluster, index)));
      const error = await durable.set('durable', Buffer.from('v'), { slidingExpirationMs: 60_000 }).then(
        () => expect.fail('the commit succeeded without a replica'),
        (failure: unknown) => failure as Error,
      );
      expect(error.name).to.equal('CacheUnavailableError');
      expect(error.message).to.equal(
        'Only 0 of the 1 replica acknowledgement(s) required arrived within 50 ms; the session write may not survive a failover.',
      );
      const after = await Promise.all(cluster.nodes.map((_, index) => waitCalls(cluster, index)));
      expect(after.map((calls, index) => calls - (before[index] ?? 0))).to.deep.equal([0, 1, 2].map((index) => (index === owner ? 1 : 0)));
    } finally {
      await durable.close();
    }
  });

  it('falls back to the command pairs on every node when the ACL refuses scripts, with the same layout', async () => {
    for (let index = 0; index < cluster.nodes.length; index++) {
      const client = cluster.nodeClient(index);
      try {
        await client.call('ACL', 'SETUSER', 'app', 'on', '>app-secret', '~*', '+@all', '-@scripting');
      } finally {
        client.disconnect();
      }
    }
    const messages: string[] = [];
    const restricted = new RedisDistributedCache(parseRedisConfiguration(`${cluster.configuration(2)},user=app,password=app-secret`), {
      instanceName: INSTANCE,
      log: (_level, message) => messages.push(message),
    });
    try {
      await restricted.connect();
      const pairsApp = sessionApp({ cache: restricted, routes: COUNTER_ROUTES, session: { ioTimeoutMs: IO_TIMEOUT_MS, protectionKeys: PROTECTION_KEYS } });
      const [tally] = await openSessions(pairsApp, 1);
      const session = tally ?? expect.fail('no session');
      await request(pairsApp, session, '/increment');
      expect(await finalCounter(pairsApp, session)).to.equal(2);
      const key = `${INSTANCE}${sessionKeyOf(session.jar.get(SESSION_COOKIE))}`;
      expect(await inspector.hget(key, 'sldexp')).to.equal(String(20n * 60n * 10_000_000n));
      expect(await inspector.ttl(key)).to.be.within(1, 1200);
      expect(messages.filter((message) => message.includes('refuses Lua scripts'))).to.have.length(1);
    } finally {
      await restricted.close();
    }
  });

  it('sends a keyed command straight to the node its slot map names, and follows MOVED when that map is stale', async () => {
    const client = cache.client as Cluster;
    const key = `${INSTANCE}stale-map`;
    const slot = await slotOf(inspector, key);
    const owner = client.slots[slot]?.[0] ?? expect.fail('no owner in the slot map');
    // Connects every primary: a node not connected yet is reached the ioredis way, which would follow MOVED itself.
    await Promise.all(client.nodes('master').map((node) => node.ping()));
    const elsewhere = client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` !== owner);
    if (elsewhere === undefined) expect.fail('no other primary');
    // As after a resharding the client has not heard of: the first attempt meets MOVED.
    client.slots[slot] = [`${elsewhere.options.host}:${elsewhere.options.port}`];
    await cache.set('stale-map', Buffer.from('moved'), { slidingExpirationMs: 60_000 });
    expect((await cache.get('stale-map'))?.toString()).to.equal('moved');
    expect(client.slots[slot]?.[0]).to.equal(owner);
  });

  it('follows a slot migration under counter load: no 5xx but 503, and no increment lost', async () => {
    const tallies = await openSessions(app, 6);
    const first = tallies[0] ?? expect.fail('no session');
    const key = `${INSTANCE}${sessionKeyOf(first.jar.get(SESSION_COOKIE))}`;
    const slot = await slotOf(inspector, key);
    const source = await cluster.ownerOf(slot);
    const target = (source + 1) % cluster.nodes.length;
    let migrated = false;
    const load = runCounterLoad(app, tallies, { until: () => migrated, maxMs: 20_000 });
    const answeredDuring = { migrating: 0, 'keys-moved': 0 };
    // The load runs on in each phase for a while: keys on the source, then on the target reached through ASK.
    await cluster.migrateSlot(slot, target, async (phase) => {
      const before = first.answers.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      answeredDuring[phase] = first.answers.slice(before).filter((answer) => answer.status === 200).length;
    });
    migrated = true;
    await load;
    // Once per session at a time: concurrent increments of one session would overwrite each other by design.
    const moved = await request(app, first, '/increment');
    expect(moved.status).to.equal(200);
    expect(answeredDuring.migrating).to.be.greaterThan(0);
    expect(answeredDuring['keys-moved']).to.be.greaterThan(0);
    expect(await cluster.ownerOf(slot)).to.equal(target);
    const answers = tallies.flatMap((tally) => tally.answers);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).to.equal(true);
    expect(longestMs(answers)).to.be.below(IO_TIMEOUT_MS);
    for (const tally of tallies) {
      const { succeeded, failed } = incrementCounts(tally);
      expect(await finalCounter(app, tally)).to.be.at.least(succeeded).and.at.most(succeeded + failed);
    }
  });
});

async function waitCalls(cluster: PrivateCluster, index: number): Promise<number> {
  const client = cluster.nodeClient(index);
  try {
    return Number(/cmdstat_wait:calls=(\d+)/.exec(String(await client.info('commandstats')))?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

async function slotOf(client: Cluster, key: string): Promise<number> {
  return Number(await client.call('CLUSTER', 'KEYSLOT', key));
}
