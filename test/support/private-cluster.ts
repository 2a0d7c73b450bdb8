/**
 * A throwaway Redis Cluster: three primaries (no replicas) on free loopback ports, slots split evenly with
 * `redis-cli --cluster create`. Ready once every node reports `cluster_state:ok` and the same slot map.
 *
 *   const cluster = await startPrivateCluster({ password: 'secret' });
 *   after(() => cluster.stop());
 *   addKrDistributedRedisCache({ configuration: cluster.configuration(0) });  // one node named is enough
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { launchRedis, terminate } from './redis-process.ts';
import type { RedisProcess } from './redis-process.ts';

const run = promisify(execFile);

export interface PrivateClusterOptions {
  readonly password?: string;
}

export interface ClusterNodeProcess {
  readonly port: number;
  readonly process: RedisProcess;
}

export type MigrationPhase = 'migrating' | 'keys-moved';

export interface PrivateCluster {
  readonly password: string | undefined;
  readonly nodes: readonly ClusterNodeProcess[];
  /** A configuration string naming node `index` (or every node when undefined), with the password if any. */
  configuration(index?: number): string;
  /** A plain client of one node, for CLUSTER and MIGRATE commands; disconnect it when done. */
  nodeClient(index: number): Redis;
  /** The index of the node serving `slot`. */
  ownerOf(slot: number): Promise<number>;
  /**
   * Moves `slot` from its owner to node `target` with SETSLOT IMPORTING/MIGRATING, MIGRATE and SETSLOT NODE, as
   * `redis-cli --cluster reshard` does. `during` runs twice: once the slot is migrating (its keys still on the
   * source), and once its keys have moved (reached through ASK) but before the slot itself is handed over.
   */
  migrateSlot(slot: number, target: number, during?: (phase: MigrationPhase) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;
const NODE_COUNT = 3;
const CLUSTER_OK_TIMEOUT_MS = 15_000;

export async function startPrivateCluster(options: PrivateClusterOptions = {}): Promise<PrivateCluster> {
  const directory = await mkdtemp(join(tmpdir(), 'kestrun-cluster-'));
  const nodes: ClusterNodeProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => terminate(node.process.child, 'SIGKILL')));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < NODE_COUNT; index++) nodes.push(await startNode(directory, index, options.password));
    const auth = options.password === undefined ? [] : ['-a', options.password, '--no-auth-warning'];
    await run('redis-cli', [...auth, '--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-yes']);
    const cluster = new Deployment(options.password, nodes, stop);
    await cluster.untilConsistent();
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

class Deployment implements PrivateCluster {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly password: string | undefined,
    readonly nodes: readonly ClusterNodeProcess[],
    private readonly stopAll: () => Promise<void>,
  ) {}

  configuration(index?: number): string {
    const named = index === undefined ? this.nodes : [this.node(index)];
    const parts = named.map((node) => `127.0.0.1:${node.port}`);
    if (this.password !== undefined) parts.push(`password=${this.password}`);
    return parts.join(',');
  }

  nodeClient(index: number): Redis {
    return new Redis({ host: '127.0.0.1', port: this.node(index).port, password: this.password, maxRetriesPerRequest: 1 });
  }

  async ownerOf(slot: number): Promise<number> {
    const client = this.nodeClient(0);
    try {
      const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      const index = this.nodes.findIndex((node) => node.port === range?.[2][1]);
      if (index < 0) throw new Error(`No node serves slot ${slot}.`);
      return index;
    } finally {
      client.disconnect();
    }
  }

  async migrateSlot(slot: number, target: number, during?: (phase: MigrationPhase) => Promise<void>): Promise<void> {
    const source = await this.ownerOf(slot);
    const from = this.nodeClient(source);
    const to = this.nodeClient(target);
    try {
      const sourceId = String(await from.call('CLUSTER', 'MYID'));
      const targetId = String(await to.call('CLUSTER', 'MYID'));
      await to.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId);
      await from.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId);
      await during?.('migrating');
      const auth = this.password === undefined ? [] : ['AUTH', this.password];
      for (;;) {
        const keys = (await from.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
        if (keys.length === 0) break;
        await from.call('MIGRATE', '127.0.0.1', this.node(target).port, '', 0, 5000, ...auth, 'KEYS', ...keys);
      }
      await during?.('keys-moved');
      // The new owner first, then the old one, then the third node, as redis-cli --cluster reshard does.
      for (const client of [to, from]) await client.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
      const third = this.nodeClient(3 - source - target);
      try {
        await third.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId);
      } finally {
        third.disconnect();
      }
    } finally {
      from.disconnect();
      to.disconnect();
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /** Every node reports cluster_state:ok; CLUSTER INFO is the cluster's own readiness signal, asked until it says so. */
  async untilConsistent(): Promise<void> {
    const deadline = Date.now() + CLUSTER_OK_TIMEOUT_MS;
    for (let index = 0; index < this.nodes.length; index++) {
      const client = this.nodeClient(index);
      try {
        while (!/cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO')))) {
          if (Date.now() > deadline) throw new Error(`Cluster node ${index} did not reach cluster_state:ok.`);
          await this.node(index).process.waitFor(/Cluster state changed: ok/, Math.max(1, deadline - Date.now()));
        }
      } finally {
        client.disconnect();
      }
    }
  }

  private node(index: number): ClusterNodeProcess {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`There is no cluster node ${index}.`);
    return node;
  }
}

async function startNode(directory: string, index: number, password: string | undefined): Promise<ClusterNodeProcess> {
  const port = await freePort();
  const dir = join(directory, `node-${index}`);
  await mkdir(dir);
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''];
  // The bus port is chosen too: the default, port + 10000, may be taken or beyond 65535.
  args.push('--cluster-port', String(await freePort()));
  args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000');
  if (password !== undefined) args.push('--requirepass', password, '--masterauth', password);
  return { port, process: await launchRedis(args, READY) };
}
