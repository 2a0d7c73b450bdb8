/**
 * A private three-primary Redis Cluster for the kestrun-cluster target, on the load core like the single Redis,
 * persisting nothing, stopped at the end. Slots are split evenly by `redis-cli --cluster create`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../test/support/free-port.ts';
import { LOAD_CORE } from './pinned-process.ts';
import { startRedisServer } from './redis.ts';

const run = promisify(execFile);
const PRIMARIES = 3;
const CLUSTER_OK_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 50;

export interface BenchCluster {
  /** A StackExchange.Redis configuration string naming one node, as a user would. */
  readonly configuration: string;
  readonly description: string;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<BenchCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'kestrun-bench-cluster-'));
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(stops.map((stopNode) => stopNode()));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let index = 0; index < PRIMARIES; index++) {
      const port = await freePort();
      const nodesFile = join(directory, `nodes-${index}.conf`);
      stops.push(await startRedisServer(['--port', String(port), '--dir', directory, ...clusterArguments(nodesFile, await freePort())]));
      ports.push(port);
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-yes']);
    for (const port of ports) await untilClusterOk(port);
    return {
      configuration: `127.0.0.1:${ports[0]}`,
      description: `private ${PRIMARIES}-primary Redis Cluster on 127.0.0.1:${ports.join(',')}, core ${LOAD_CORE}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function clusterArguments(nodesFile: string, busPort: number): string[] {
  // The bus port is chosen too: the default, port + 10000, may be taken or beyond 65535.
  return ['--cluster-enabled', 'yes', '--cluster-config-file', nodesFile, '--cluster-port', String(busPort)];
}

/** CLUSTER INFO is the cluster's own readiness signal; it is asked until it says ok. */
async function untilClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + CLUSTER_OK_TIMEOUT_MS;
  for (;;) {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
    if (stdout.includes('cluster_state:ok')) return;
    if (Date.now() > deadline) throw new Error(`Cluster node 127.0.0.1:${port} did not reach cluster_state:ok.`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
