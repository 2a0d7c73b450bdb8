import { expect } from 'chai';
import { Redis } from 'ioredis';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addKrDistributedRedisCache,
  addKrSession,
  newKrServer,
  addKrEndpoint,
  startKrServer,
  stopKrServer,
} from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { sessionTutorialAssertions } from './session-tutorial-assertions.ts';

const SCRIPT = '19.2-sessions-redis.ts';
const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'KestrunSession_';
/** The script's IdleTimeout 20 as .NET TimeSpan ticks. */
const IDLE_TICKS = '200000000';
const IO_TIMEOUT_MS = 10_000;

function startAgainst(url: string, env: NodeJS.ProcessEnv = {}): Promise<ScriptProcess> {
  return startScript(SCRIPT, { args: ['--upstash-url', url], env });
}

function sessionKeyOf(jar: CookieJar): string {
  return (jar.get('Kr.Session') ?? '').split('.')[0] ?? '';
}

describe('tutorial 19.2 sessions with Redis (scripts/19.2-sessions-redis.ts)', function () {
  this.timeout(90_000);

  describe('on the shared Redis', () => {
    let server: ScriptProcess;
    let redis: Redis;
    const get = (path: string, jar?: CookieJar) => fetchUrl(`${server.url}${path}`, jar === undefined ? {} : { jar });

    before(async () => {
      redis = new Redis(SHARED_REDIS_URL);
      server = await startAgainst(SHARED_REDIS_URL);
    });

    after(async () => {
      expect(await server?.stop()).to.equal(0);
      redis?.disconnect();
    });

    sessionTutorialAssertions(() => server);

    it('stores each session as a HASH under the instance name, in the layout of the .NET Redis cache', async () => {
      const jar = new CookieJar();
      await get('/session/counter', jar);
      const key = `${PREFIX}${sessionKeyOf(jar)}`;
      expect(sessionKeyOf(jar)).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await redis.type(key)).to.equal('hash');
      const fields = await redis.hgetallBuffer(key);
      expect(Object.keys(fields).sort()).to.deep.equal(['absexp', 'data', 'sldexp']);
      expect(fields.absexp?.toString()).to.equal('-1');
      expect(fields.sldexp?.toString()).to.equal(IDLE_TICKS);
      // Revision 2, one entry, a 16-byte id, then "counter" = Int32 1 big-endian.
      const data = fields.data as Buffer;
      expect(data.subarray(0, 4).toString('hex')).to.equal('02000001');
      expect(data.subarray(20).toString('hex')).to.equal(`0007${Buffer.from('counter').toString('hex')}0000000400000001`);
    });

    it('keeps a TTL no greater than the idle timeout, slid by each request', async () => {
      const jar = new CookieJar();
      await get('/session/counter', jar);
      const key = `${PREFIX}${sessionKeyOf(jar)}`;
      const ttl = await redis.ttl(key);
      expect(ttl).to.be.within(1, 20);
      await redis.expire(key, 5);
      await get('/session/get?key=counter', jar);
      expect(await redis.ttl(key)).to.be.greaterThan(5).and.at.most(20);
    });

    it('keeps the cookie-protection key ring in the same Redis under the instance name', async () => {
      const ring = JSON.parse((await redis.get(`${PREFIX}DataProtection-Keys`)) ?? '{}') as { keys?: unknown[] };
      expect(ring.keys).to.be.an('array').that.is.not.empty;
    });
  });

  describe('with two instances on one Redis', () => {
    let first: ScriptProcess;
    let second: ScriptProcess;

    before(async () => {
      [first, second] = await Promise.all([startAgainst(SHARED_REDIS_URL), startAgainst(SHARED_REDIS_URL)]);
    });

    after(async () => {
      await Promise.all([first?.stop(), second?.stop()]);
    });

    it('shares sessions: one cookie jar alternating between them counts 1, 2, 3, 4', async () => {
      const jar = new CookieJar();
      const counts: unknown[] = [];
      for (const instance of [first, second, first, second]) {
        counts.push((await fetchUrl(`${instance.url}/session/counter`, { jar })).json().counter);
      }
      expect(counts).to.deep.equal([1, 2, 3, 4]);
      expect((await fetchUrl(`${second.url}/session/login?user=max`, { jar })).status).to.equal(200);
      expect((await fetchUrl(`${first.url}/session/whoami`, { jar })).json()).to.deep.equal({ user: 'max' });
    });
  });

  describe('on a TLS Redis with a password, as Upstash serves it', () => {
    let redis: PrivateRedis;
    let server: ScriptProcess;
    let caDirectory: string;

    before(async () => {
      redis = await startPrivateRedis({ tls: true, password: 'tls-secret' });
      caDirectory = await mkdtemp(join(tmpdir(), 'kestrun-ca-'));
      const caFile = join(caDirectory, 'ca.pem');
      await writeFile(caFile, redis.caPem as string);
      expect(redis.url).to.equal(`rediss://default:tls-secret@127.0.0.1:${redis.port}`);
      // The script trusts the test CA the way any Node program can be told to: NODE_EXTRA_CA_CERTS.
      server = await startAgainst(redis.url, { NODE_EXTRA_CA_CERTS: caFile });
    });

    after(async () => {
      await server?.stop();
      await redis?.stop();
      if (caDirectory) await rm(caDirectory, { recursive: true, force: true });
    });

    it('counts in a session stored on the TLS Redis', async () => {
      const jar = new CookieJar();
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(1);
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(2);
      const client = new Redis(redis.port, '127.0.0.1', { password: 'tls-secret', tls: { ca: redis.caPem as string } });
      try {
        expect(await client.exists(`${PREFIX}${sessionKeyOf(jar)}`)).to.equal(1);
      } finally {
        client.disconnect();
      }
      expect(server.output()).to.include(`Using Redis at 127.0.0.1:${redis.port} over TLS.`);
    });
  });

  describe('through a Redis outage', () => {
    let redis: PrivateRedis;
    let server: ScriptProcess;

    before(async () => {
      redis = await startPrivateRedis();
      server = await startAgainst(redis.url);
    });

    after(async () => {
      await server?.stop();
      await redis?.stop();
    });

    it('answers 503 with Retry-After within the IOTimeout while Redis is down, keeps /hello up, and recovers without a restart', async () => {
      const jar = new CookieJar();
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(1);
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(2);

      await redis.kill();
      for (const path of ['/session/counter', '/session/get?key=color', '/session/whoami']) {
        const started = Date.now();
        const response = await fetchUrl(`${server.url}${path}`, { jar });
        expect(Date.now() - started, path).to.be.below(IO_TIMEOUT_MS);
        expect(response.status, path).to.equal(503);
        expect(response.headers['retry-after'], path).to.match(/^\d+$/);
        expect(response.json().error, path).to.be.a('string');
        expect(response.body, path).not.to.match(/\bat\s.+:\d+:\d+/);
      }
      const hello = await fetchUrl(`${server.url}/hello`, { jar });
      expect(hello.status).to.equal(200);
      expect(hello.body).to.equal('Hello, Session World!');
      await server.waitForOutput(/Session store unavailable/);

      await redis.restart();
      // A restarted Redis without persistence is empty: the session starts over, on the same cookie.
      let recovered = await fetchUrl(`${server.url}/session/counter`, { jar });
      for (let attempt = 0; recovered.status === 503 && attempt < 50; attempt++) {
        // ioredis reconnects on its own back-off; poll for the first success rather than sleeping blindly.
        await new Promise((resolve) => setTimeout(resolve, 100));
        recovered = await fetchUrl(`${server.url}/session/counter`, { jar });
      }
      expect(recovered.status).to.equal(200);
      expect(recovered.json().counter).to.equal(1);
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(2);
    });
  });

  describe('at start-up', () => {
    let deadPort: number;

    before(async () => {
      const probe = await startPrivateRedis();
      deadPort = probe.port;
      await probe.stop();
    });

    it('with abortOnConnectFail false (the script) starts anyway and answers 503 for session routes', async () => {
      const server = await startAgainst(`redis://127.0.0.1:${deadPort}`);
      try {
        expect((await fetchUrl(`${server.url}/hello`)).status).to.equal(200);
        expect((await fetchUrl(`${server.url}/session/counter`)).status).to.equal(503);
      } finally {
        await server.stop();
      }
    });

    it('with abortOnConnectFail true fails fast with an error naming the endpoint', async () => {
      const name = `abort-${deadPort}`;
      newKrServer({ name, default: true, logger: new CaptureLogger() });
      addKrEndpoint({ port: 0 });
      addKrDistributedRedisCache({ configuration: `127.0.0.1:${deadPort},abortConnect=true,connectTimeout=1000,connectRetry=1` });
      addKrSession({ noDistributedMemoryCache: true });
      const started = Date.now();
      const failure = await startKrServer({ server: name, quiet: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(Date.now() - started).to.be.below(5000);
      expect(failure).to.be.instanceOf(Error);
      expect((failure as Error).message).to.match(/^Start-KrServer: Failed to start Kestrun server/);
      expect((failure as Error).message).to.include(`127.0.0.1:${deadPort}`);
      await stopKrServer({ server: name, quiet: true }).catch(() => undefined);
    });

    it('refuses a malformed URL with one line and exit code 1', async () => {
      const failure = await startAgainst('rediss://default:secret@').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.have.property('code', 1);
      const output = (failure as { output: string }).output.trim();
      expect(output.split('\n').filter((line) => !line.startsWith('npm warn'))).to.have.length(1);
      expect(output).to.match(/The Redis URL is malformed/);
    });
  });
});
