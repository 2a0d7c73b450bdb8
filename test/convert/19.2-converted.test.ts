import { expect } from 'chai';
import { Redis } from 'ioredis';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/kestrun-ts.ts';
import { CookieJar, fetchUrl } from '../support/https-client.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import type { PrivateRedis } from '../support/private-redis.ts';
import { startScript } from '../support/script-process.ts';
import type { ScriptProcess } from '../support/script-process.ts';
import { sessionTutorialAssertions } from '../tutorials/session-tutorial-assertions.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PS1 = join(FIXTURES, '19.2-Sessions-Redis.ps1');
const CLI = 'src/cli/kestrun-ts.ts';

/**
 * Kestrun's own 19.2-Sessions-Redis.ps1, converted and run. The script always sets Ssl = $true and takes the
 * password from the URL, as Upstash needs, so it runs against a TLS Redis with a password, trusted through
 * NODE_EXTRA_CA_CERTS as any Node program can be told to.
 */
describe('Kestrun 19.2-Sessions-Redis.ps1 through kestrun-ts convert and run', function () {
  this.timeout(90_000);
  let redis: PrivateRedis;
  let folder: string;
  let caFile: string;

  before(async () => {
    redis = await startPrivateRedis({ tls: true, password: 'tls-secret' });
    folder = await mkdtemp(join(tmpdir(), 'kestrun-ts-19.2-'));
    caFile = join(folder, 'ca.pem');
    await writeFile(caFile, redis.caPem as string);
  });

  after(async () => {
    await redis?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const start = (entry: readonly string[]): Promise<ScriptProcess> =>
    startScript('19.2-Sessions-Redis', { entry, args: ['--upstash-url', redis.url], env: { NODE_EXTRA_CA_CERTS: caFile } });

  describe('convert -o x.ts, then run x.ts (outside any package, so it also resolves kestrun-ts from anywhere)', () => {
    let server: ScriptProcess;

    before(async () => {
      const converted = join(folder, 'x.ts');
      expect(await main(['convert', PS1, '-o', converted])).to.equal(0);
      server = await start([CLI, 'run', converted]);
    });

    after(async () => {
      expect(await server?.stop()).to.equal(0);
    });

    it('serves over HTTPS', () => {
      expect(server.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    });

    sessionTutorialAssertions(() => server);

    it('keeps the sessions in the TLS Redis under the instance name', async () => {
      const jar = new CookieJar();
      expect((await fetchUrl(`${server.url}/session/counter`, { jar })).json().counter).to.equal(1);
      const id = (jar.get('Kr.Session') ?? '').split('.')[0] ?? '';
      const client = new Redis(redis.port, '127.0.0.1', { password: 'tls-secret', tls: { ca: redis.caPem as string } });
      try {
        expect(await client.type(`KestrunSession_${id}`)).to.equal('hash');
      } finally {
        client.disconnect();
      }
    });
  });

  describe('run 19.2-Sessions-Redis.ps1 directly', () => {
    let server: ScriptProcess;

    before(async () => {
      server = await start([CLI, 'run', PS1]);
    });

    after(async () => {
      expect(await server?.stop()).to.equal(0);
    });

    sessionTutorialAssertions(() => server);
  });

  it('without a Redis URL writes the script\'s error to stderr and ends, as the .ps1 returns', async () => {
    const failure = await startScript('19.2-Sessions-Redis', { entry: [CLI, 'run', PS1], env: { UPSTASH_REDIS_URL: '' } }).catch((error: unknown) => error);
    expect(failure).to.have.property('code', 0);
    expect((failure as { output: string }).output).to.include('Redis URL not provided. Set the UPSTASH_REDIS_URL environment variable');
  });
});

describe('Kestrun-style 1.1-Hello-World.ps1 through kestrun-ts run', function () {
  this.timeout(60_000);

  it('answers GET /hello over plain HTTP', async () => {
    const server = await startScript('1.1-Hello-World', { entry: [CLI, 'run', join(FIXTURES, '1.1-Hello-World.ps1')] });
    try {
      const response = await fetchUrl(`${server.url}/hello`);
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('Hello, World!');
    } finally {
      expect(await server.stop()).to.equal(0);
    }
  });
});
