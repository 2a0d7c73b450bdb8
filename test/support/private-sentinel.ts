/**
 * A throwaway Sentinel deployment: one primary, one replica and three Sentinels (quorum 2) on free loopback ports,
 * with failure detection tuned for tests (down after 1 s). Readiness is each server's own log: the replica's
 * finished sync, and every Sentinel having seen the replica and the two other Sentinels.
 *
 *   const sentinel = await startPrivateSentinel({ password: 'secret' });
 *   after(() => sentinel.stop());
 *   addKrDistributedRedisCache({ configuration: sentinel.configuration });  // 127.0.0.1:p1,127.0.0.1:p2,…,serviceName=…
 *
 * A password is set on the data nodes (requirepass, masterauth) and on the Sentinels, as StackExchange.Redis sends
 * the same password to both.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { launchRedis, terminate } from './redis-process.ts';
import type { RedisProcess } from './redis-process.ts';

export interface PrivateSentinelOptions {
  readonly password?: string;
  readonly serviceName?: string;
}

export interface SentinelNode {
  readonly port: number;
  readonly process: RedisProcess;
  readonly args: readonly string[];
}

export interface PrivateSentinel {
  readonly serviceName: string;
  readonly password: string | undefined;
  readonly primary: SentinelNode;
  readonly replica: SentinelNode;
  readonly sentinels: readonly SentinelNode[];
  /** `127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>,serviceName=<name>[,password=<password>]`. */
  readonly configuration: string;
  /** A client of a Sentinel, for SENTINEL commands and +switch-master subscriptions; disconnect it when done. */
  sentinelClient(index?: number): Redis;
  /** Starts the first primary again (after a kill), empty; the Sentinels make it a replica of the current primary. */
  restartFirstPrimary(): Promise<void>;
  /** The port the Sentinels currently name as primary. */
  currentPrimaryPort(): Promise<number>;
  /** Stops every process and deletes the directory. Safe to call twice. */
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;
const SYNCED = /MASTER <-> REPLICA sync: Finished with success/;
const SENTINEL_READY = /\+monitor master/;

export async function startPrivateSentinel(options: PrivateSentinelOptions = {}): Promise<PrivateSentinel> {
  const serviceName = options.serviceName ?? 'kestrun-primary';
  const directory = await mkdtemp(join(tmpdir(), 'kestrun-sentinel-'));
  const started: RedisProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((server) => terminate(server.child, 'SIGKILL')));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const auth = options.password === undefined ? [] : ['--requirepass', options.password, '--masterauth', options.password];
    const primary = await startNode(directory, 'primary', auth, started);
    const replica = await startNode(directory, 'replica', [...auth, '--replicaof', '127.0.0.1', String(primary.port)], started);
    await replica.process.waitFor(SYNCED);
    const sentinels: SentinelNode[] = [];
    for (let index = 0; index < 3; index++) {
      sentinels.push(await startSentinel(directory, index, serviceName, primary.port, options.password, started));
    }
    // Each Sentinel must know the replica and both other Sentinels before a failover can reach its quorum.
    for (const sentinel of sentinels) {
      await sentinel.process.waitFor(new RegExp(`\\+slave slave 127\\.0\\.0\\.1:${replica.port} `));
      for (const other of sentinels) {
        if (other !== sentinel) await sentinel.process.waitFor(new RegExp(`\\+sentinel sentinel \\w+ 127\\.0\\.0\\.1 ${other.port} `));
      }
    }
    return new Deployment(serviceName, options.password, primary, replica, sentinels, started, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

class Deployment implements PrivateSentinel {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly serviceName: string,
    readonly password: string | undefined,
    readonly primary: SentinelNode,
    readonly replica: SentinelNode,
    readonly sentinels: readonly SentinelNode[],
    private readonly started: RedisProcess[],
    private readonly stopAll: () => Promise<void>,
  ) {}

  get configuration(): string {
    const parts = this.sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`);
    parts.push(`serviceName=${this.serviceName}`);
    if (this.password !== undefined) parts.push(`password=${this.password}`);
    return parts.join(',');
  }

  sentinelClient(index = 0): Redis {
    const sentinel = this.sentinels[index];
    if (sentinel === undefined) throw new Error(`There is no Sentinel ${index}.`);
    return new Redis({ host: '127.0.0.1', port: sentinel.port, password: this.password, maxRetriesPerRequest: 1 });
  }

  async currentPrimaryPort(): Promise<number> {
    const client = this.sentinelClient();
    try {
      const address = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.serviceName)) as [string, string];
      return Number(address[1]);
    } finally {
      client.disconnect();
    }
  }

  async restartFirstPrimary(): Promise<void> {
    this.started.push(await launchRedis(this.primary.args, READY));
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }
}

async function startNode(directory: string, name: string, extra: readonly string[], started: RedisProcess[]): Promise<SentinelNode> {
  const port = await freePort();
  const dir = join(directory, name);
  await mkdir(dir);
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', ...extra];
  const process = await launchRedis(args, READY);
  started.push(process);
  return { port, process, args };
}

async function startSentinel(
  directory: string,
  index: number,
  serviceName: string,
  primaryPort: number,
  password: string | undefined,
  started: RedisProcess[],
): Promise<SentinelNode> {
  const port = await freePort();
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${directory}`,
    'logfile ""',
    `sentinel monitor ${serviceName} 127.0.0.1 ${primaryPort} 2`,
    `sentinel down-after-milliseconds ${serviceName} 1000`,
    `sentinel failover-timeout ${serviceName} 3000`,
    `sentinel parallel-syncs ${serviceName} 1`,
  ];
  if (password !== undefined) {
    lines.push(`sentinel auth-pass ${serviceName} ${password}`, `requirepass ${password}`, `sentinel sentinel-pass ${password}`);
  }
  const file = join(directory, `sentinel-${index}.conf`);
  await writeFile(file, `${lines.join('\n')}\n`);
  const args = [file, '--sentinel'];
  const process = await launchRedis(args, SENTINEL_READY);
  started.push(process);
  return { port, process, args };
}
