import { expect } from 'chai';
import { Cluster, Redis } from 'ioredis';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startPrivateCluster } from '../support/private-cluster.ts';
import type { PrivateCluster } from '../support/private-cluster.ts';
import { startPrivateSentinel } from '../support/private-sentinel.ts';
import type { PrivateSentinel } from '../support/private-sentinel.ts';
import { ScriptExitedError, startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { sessionTutorialAssertions } from './session-tutorial-assertions.ts';

const SCRIPT = '19.2-sessions-redis.ts';
const PREFIX = 'KestrunSession_';

function startWith(configuration: string): Promise<ScriptProcess> {
  return startScript(SCRIPT, { args: ['--configuration', configuration] });
}

/** The script's start-up failure: it must exit with code 1 before it listens, saying why. */
async function startupFailure(configuration: string): Promise<ScriptExitedError> {
  const failure = await startWith(configuration).then(
    async (server) => {
      await server.stop();
      return expect.fail('the script started');
    },
    (error: unknown) => error,
  );
  expect(failure).to.be.instanceOf(ScriptExitedError);
  return failure as ScriptExitedError;
}

describe('tutorial 19.2 sessions with Redis, given a configuration string (--configuration)', function () {
  this.timeout(90_000);

  describe('through password-protected Sentinels (serviceName)', () => {
    let sentinel: PrivateSentinel;
    let server: ScriptProcess;

    before(async () => {
      sentinel = await startPrivateSentinel({ password: 'sentinel-secret' });
      server = await startWith(sentinel.configuration);
    });

    after(async () => {
      await server?.stop();
      await sentinel?.stop();
    });

    sessionTutorialAssertions(() => server);

    it('stores the sessions on the primary the Sentinels name', async () => {
      const jar = new CookieJar();
      await fetchUrl(`${server.url}/session/counter`, { jar });
      expect(await sentinel.currentPrimaryPort()).to.equal(sentinel.primary.port);
      const primary = new Redis({ host: '127.0.0.1', port: sentinel.primary.port, password: 'sentinel-secret' });
      try {
        expect(await primary.exists(`${PREFIX}${(jar.get('Kr.Session') ?? '').split('.')[0]}`)).to.equal(1);
      } finally {
        primary.disconnect();
      }
      expect(server.output()).to.include('Using the Redis configuration string given');
    });

    it('fails start-up with a clear error when the password is wrong (abortConnect defaults to true)', async () => {
      const failure = await startupFailure(sentinel.configuration.replace('password=sentinel-secret', 'password=wrong'));
      expect(failure.code).to.equal(1);
      expect(failure.output).to.match(/It was not possible to connect to the redis server\(s\) service kestrun-primary via sentinel\(s\) .*WRONGPASS/);
      expect(failure.output).to.not.include('sentinel-secret');
    });
  });

  describe('on a password-protected Redis Cluster, naming one node', () => {
    let cluster: PrivateCluster;
    let first: ScriptProcess;
    let second: ScriptProcess;
    let inspector: Cluster;

    before(async () => {
      cluster = await startPrivateCluster({ password: 'cluster-secret' });
      [first, second] = await Promise.all([startWith(cluster.configuration(0)), startWith(cluster.configuration(2))]);
      inspector = new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })), {
        redisOptions: { password: 'cluster-secret' },
      });
    });

    after(async () => {
      inspector?.disconnect();
      await Promise.all([first?.stop(), second?.stop()]);
      await cluster?.stop();
    });

    sessionTutorialAssertions(() => first);

    it('lets two instances share sessions: one cookie jar alternating between them counts 1, 2, 3, 4', async () => {
      const jar = new CookieJar();
      const counts: unknown[] = [];
      for (const instance of [first, second, first, second]) {
        counts.push((await fetchUrl(`${instance.url}/session/counter`, { jar })).json().counter);
      }
      expect(counts).to.deep.equal([1, 2, 3, 4]);
      const key = `${PREFIX}${(jar.get('Kr.Session') ?? '').split('.')[0]}`;
      expect(await inspector.hget(key, 'sldexp')).to.equal('200000000');
      expect(await inspector.exists(`${PREFIX}DataProtection-Keys`)).to.equal(1);
    });

    it('fails start-up with a clear error when the password is wrong (abortConnect defaults to true)', async () => {
      const failure = await startupFailure(cluster.configuration(1).replace('password=cluster-secret', 'password=wrong'));
      expect(failure.code).to.equal(1);
      expect(failure.output).to.match(/It was not possible to connect to the redis server\(s\) 127\.0\.0\.1:\d+\. .*WRONGPASS/);
      expect(failure.output).to.not.include('cluster-secret');
    });
  });
});
