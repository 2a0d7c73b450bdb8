/**
 * A throwaway redis-server for tests that must not disturb the shared one: outages (kill, restart on the same port),
 * TLS with a test CA, passwords, or exact command statistics.
 *
 *   const redis = await startPrivateRedis({ tls: true, password: 'secret' });
 *   after(() => redis.stop());
 *   new Redis(redis.url, { tls: { ca: redis.caPem } });  // rediss://default:secret@127.0.0.1:<port>
 *
 * Nothing is persisted (`--save '' --appendonly no`), so a restarted server starts empty. Readiness is the server's
 * own "Ready to accept connections" log line, never a sleep. Servers still running when the process exits are
 * killed, but call stop() in an after hook anyway: it also removes the temporary directory.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { freePort } from './free-port.ts';
import { launchRedis, terminate } from './redis-process.ts';

export interface PrivateRedisOptions {
  /** Serve TLS only, with a server certificate for 127.0.0.1 and localhost signed by a test CA (see caPem). */
  readonly tls?: boolean;
  /** requirepass: clients authenticate as user `default` with this password. */
  readonly password?: string;
}

export interface PrivateRedis {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly tls: boolean;
  readonly password: string | undefined;
  /** The test CA that signed the server certificate, for a client's `ca` option; undefined without TLS. */
  readonly caPem: string | undefined;
  /** `redis://` or `rediss://`, with `default:<password>@` when a password is set. */
  readonly url: string;
  /** The same as a StackExchange.Redis configuration string, e.g. `127.0.0.1:6390,ssl=true,password=…` (throws for a password with a comma). */
  readonly configuration: string;
  /** SIGKILL, as in a crash: clients see the connection drop. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (empty) and resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Stops the server if it runs and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_LINE = /Ready to accept connections/;
const PORT_ATTEMPTS = 5;

interface TestCertificates {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

let certificates: Promise<TestCertificates> | undefined;

export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const directory = await mkdtemp(join(tmpdir(), 'kestrun-redis-'));
  try {
    const tls = options.tls === true ? await writeCertificates(directory) : undefined;
    // Another process can take a free port between the probe and redis binding it; a fresh port then helps.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = serverArguments(directory, port, options.password, tls !== undefined);
      try {
        const child = await launch(args);
        return new PrivateRedisServer(directory, port, args, child, options.password, tls?.caPem);
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !String(error).includes('Address already in use')) throw error;
      }
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

class PrivateRedisServer implements PrivateRedis {
  readonly host = '127.0.0.1';
  readonly tls: boolean;
  private child: ChildProcess | undefined;
  private stopped = false;

  constructor(
    private readonly directory: string,
    readonly port: number,
    private readonly args: readonly string[],
    child: ChildProcess,
    readonly password: string | undefined,
    readonly caPem: string | undefined,
  ) {
    this.child = child;
    this.tls = caPem !== undefined;
  }

  get url(): string {
    const credentials = this.password === undefined ? '' : `default:${encodeURIComponent(this.password)}@`;
    return `${this.tls ? 'rediss' : 'redis'}://${credentials}${this.host}:${this.port}`;
  }

  get configuration(): string {
    if (this.password?.includes(',')) throw new Error('A configuration string cannot carry a password with a comma; use url.');
    const parts = [`${this.host}:${this.port}`];
    if (this.tls) parts.push('ssl=true');
    if (this.password !== undefined) parts.push(`password=${this.password}`);
    return parts.join(',');
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined) await terminate(child, 'SIGKILL');
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('This private redis has been stopped.');
    await this.kill();
    this.child = await launch(this.args);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const child = this.child;
    this.child = undefined;
    if (child !== undefined) await terminate(child, 'SIGTERM');
    await rm(this.directory, { recursive: true, force: true });
  }
}

function serverArguments(directory: string, port: number, password: string | undefined, tls: boolean): string[] {
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory, '--logfile', ''];
  if (tls) {
    args.push('--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no');
    args.push('--tls-cert-file', join(directory, 'server.crt'), '--tls-key-file', join(directory, 'server.key'));
    args.push('--tls-ca-cert-file', join(directory, 'ca.crt'));
  } else {
    args.push('--port', String(port));
  }
  if (password !== undefined) args.push('--requirepass', password);
  return args;
}

async function launch(args: readonly string[]): Promise<ChildProcess> {
  return (await launchRedis(args, READY_LINE)).child;
}

async function writeCertificates(directory: string): Promise<TestCertificates> {
  certificates ??= createCertificates();
  const generated = await certificates;
  await writeFile(join(directory, 'ca.crt'), generated.caPem);
  await writeFile(join(directory, 'server.crt'), generated.certPem);
  await writeFile(join(directory, 'server.key'), generated.keyPem, { mode: 0o600 });
  return generated;
}

/** One CA and one server certificate per test process; EC keys keep generation instant. */
async function createCertificates(): Promise<TestCertificates> {
  const ca = await generate([{ name: 'commonName', value: 'kestrun-ts test CA' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
