/**
 * The one place that decides what kind of ioredis client the cache talks through, as StackExchange.Redis would:
 * with serviceName, a client of the primary the Sentinels name; otherwise it asks the endpoints at connect time
 * (see topology-probe.ts) and becomes a Cluster client, or a single-node client of the primary among them. Until
 * then it behaves like an ioredis client that is still connecting: commands wait, failures are 'error' and 'close'
 * events, and `reconnectDelay` decides whether and when to try again.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ClusterNodes } from './cluster-nodes.ts';
import { clusterSlot } from './cluster-slot.ts';
import { toIoredisOptions } from './ioredis-options.ts';
import { Cluster, Redis } from './ioredis.ts';
import type { Command } from './ioredis.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { clusterOptions, sentinelOptions } from './redis-topology.ts';
import type { ReconnectDelay } from './redis-topology.ts';
import { probeTopology } from './topology-probe.ts';
import type { Topology } from './topology-probe.ts';

/** What ioredis's Cluster.sendCommand takes as its node: a slot, and the connection it picks for it on first use. */
export interface ClusterRoute {
  readonly slot: number;
}

/** On a Cluster, a command's way to its node: pinned to a route, or through ioredis, which follows MOVED and ASK. */
export type Routing = ClusterRoute | 'follow-redirects';

const FORWARDED_EVENTS = ['ready', 'error', 'close', 'reconnecting'] as const;

type Phase = 'wait' | 'connecting' | 'reconnecting' | 'end';

export class TopologyClient extends EventEmitter {
  private inner: Redis | Cluster | undefined;
  /** Set with a Cluster client: where unrouted commands go (see cluster-nodes.ts). */
  private clusterNodes: ClusterNodes | undefined;
  private phase: Phase = 'wait';
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set by disconnect(), quit() and a reconnect delay of null: the client's next 'end' is the caller's. */
  private endIsFinal = false;
  /** Pending while a client that ended on its own waits to connect again (see clientEnded). */
  private restartTimer: NodeJS.Timeout | undefined;
  /** Commands sent before the client exists; they go out once it does, unless their deadline has passed. */
  private waiting: Command[] = [];

  /** The reconnect delay the client is given: a null from it makes the client's coming 'end' final. */
  private readonly nextDelay: ReconnectDelay = (attempt) => {
    const delay = this.reconnectDelay(attempt);
    if (delay === null) this.endIsFinal = true;
    return delay;
  };

  constructor(
    private readonly settings: RedisConnectionSettings,
    private readonly reconnectDelay: ReconnectDelay,
  ) {
    super();
    // The Sentinels name the primary; there is nothing to probe.
    if (settings.serviceName !== undefined) this.adopt(new Redis(sentinelOptions(settings, this.nextDelay)));
  }

  /** ioredis's status of the client, once there is one; before that 'wait', 'connecting', 'reconnecting' or 'end'. */
  get status(): string {
    if (this.restartTimer !== undefined) return 'reconnecting';
    return this.inner?.status ?? this.phase;
  }

  /** Where commands are written: the single-node client's socket, or one per primary of a Cluster. */
  get sockets(): readonly Socket[] {
    if (this.inner instanceof Redis) return this.inner.stream === undefined ? [] : [this.inner.stream as Socket];
    const primaries = this.inner?.nodes('master') ?? [];
    return primaries.flatMap((node) => (node.stream === undefined ? [] : [node.stream as Socket]));
  }

  /** 'sentinel', 'cluster' or 'standalone', once known. */
  get topology(): 'sentinel' | Topology['kind'] | undefined {
    if (this.inner === undefined) return undefined;
    if (this.inner instanceof Cluster) return 'cluster';
    return this.settings.serviceName === undefined ? 'standalone' : 'sentinel';
  }

  /** The ioredis client underneath, once the topology is known. */
  get ioredis(): Redis | Cluster | undefined {
    return this.inner;
  }

  /**
   * `routing` only matters to a Cluster. Without it a command goes straight to the node its slot map names, which
   * returns MOVED and ASK as errors (the caller sends it again with 'follow-redirects'); with a route, to the route's
   * node, likewise; with 'follow-redirects', through ioredis's Cluster client, which follows them.
   */
  sendCommand(command: Command, routing?: Routing): unknown {
    if (this.inner instanceof Cluster) {
      if (routing === 'follow-redirects') return this.inner.sendCommand(command);
      if (routing !== undefined) return this.inner.sendCommand(command, undefined, routing);
      const node = this.clusterNodes?.connectionFor(command);
      return node === undefined ? this.inner.sendCommand(command) : node.sendCommand(command);
    }
    if (this.inner !== undefined) return this.inner.sendCommand(command);
    if (this.phase === 'end') command.reject(new Error('Connection is closed.'));
    else this.waiting.push(command);
    return undefined;
  }

  /**
   * On a Cluster, a route to the node that serves `key` now: commands sent with the same route go to the same node,
   * in order, which WAIT needs (it has no key of its own). Undefined for every other topology.
   */
  routeFor(key: string): ClusterRoute | undefined {
    if (!(this.inner instanceof Cluster)) return undefined;
    return { slot: clusterSlot(key) };
  }

  /** After a MOVED that a routed command could not follow, so that the next ones go to the right node. */
  refreshRoutes(): void {
    if (this.inner instanceof Cluster) this.inner.refreshSlotsCache();
  }

  connect(): Promise<void> {
    this.endIsFinal = false;
    if (this.inner !== undefined) return this.inner.connect();
    if (this.phase === 'connecting' || this.phase === 'reconnecting') return Promise.reject(new Error('Redis is already connecting.'));
    this.attempt = 0;
    return this.discover();
  }

  async quit(): Promise<unknown> {
    this.endIsFinal = true;
    if (this.inner !== undefined) return this.inner.quit();
    this.disconnect();
    return 'OK';
  }

  disconnect(): void {
    this.endIsFinal = true;
    if (this.restartTimer !== undefined) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      // The client's own 'end' was held back by clientEnded; this one is final.
      this.emit('end');
      return;
    }
    if (this.inner !== undefined) {
      this.inner.disconnect();
      return;
    }
    clearTimeout(this.retryTimer);
    this.end(new Error('Connection is closed.'));
  }

  /** Set by disconnect() while an attempt is under way, which then stops quietly. */
  private get ended(): boolean {
    return this.phase === 'end';
  }

  private async discover(): Promise<void> {
    this.phase = 'connecting';
    let topology: Topology;
    try {
      topology = await probeTopology(this.settings);
    } catch (error) {
      if (this.ended) return;
      return this.retryAfter(error);
    }
    if (this.ended) return;
    let client: Redis | Cluster;
    try {
      client = this.clientFor(topology);
    } catch (error) {
      // A setting the topology cannot honour (a database other than 0 on a Cluster) does not heal with retries.
      this.emit('error', error);
      this.end(error);
      throw error;
    }
    this.adopt(client);
    return client.connect();
  }

  private async retryAfter(error: unknown): Promise<void> {
    this.emit('error', error);
    // As ioredis does with maxRetriesPerRequest 0: nothing waits for the next attempt.
    this.rejectWaiting(error);
    this.emit('close');
    const delay = this.reconnectDelay(++this.attempt);
    if (delay === null) {
      this.end(error);
      throw error;
    }
    this.phase = 'reconnecting';
    this.emit('reconnecting', delay);
    await new Promise<void>((resolve) => {
      this.retryTimer = setTimeout(resolve, delay);
    });
    if (this.ended) return;
    return this.discover();
  }

  private clientFor(topology: Topology): Redis | Cluster {
    if (topology.kind === 'standalone') {
      return new Redis({ ...toIoredisOptions(this.settings, topology.endpoint), retryStrategy: this.nextDelay });
    }
    const { nodes, options } = clusterOptions(this.settings, this.nextDelay);
    return new Cluster(nodes, options);
  }

  private adopt(client: Redis | Cluster): void {
    this.inner = client;
    if (client instanceof Cluster) this.clusterNodes = new ClusterNodes(client);
    for (const event of FORWARDED_EVENTS) client.on(event, (...args: unknown[]) => this.emit(event, ...args));
    client.on('ready', () => {
      this.attempt = 0;
    });
    client.on('end', () => this.clientEnded(client));
    const waiting = this.waiting;
    this.waiting = [];
    for (const command of waiting) if (!command.isSettled) client.sendCommand(command);
  }

  /**
   * ioredis ends a client for good when its connector is disconnected during connect(): the Sentinel failover
   * detector does that on +switch-master while the client asks a Sentinel for the primary. Unless the end was asked
   * for, it is one more failed attempt, and the same client connects again after the reconnect delay.
   */
  private clientEnded(client: Redis | Cluster): void {
    const delay = this.endIsFinal ? null : this.nextDelay(++this.attempt);
    if (delay === null) {
      this.emit('end');
      return;
    }
    this.emit('reconnecting', delay);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // Failures arrive as 'error' and 'close' events, and a further 'end' comes back here.
      client.connect().catch(() => undefined);
    }, delay);
  }

  private end(error: unknown): void {
    if (this.phase === 'end') return;
    this.phase = 'end';
    this.rejectWaiting(error);
    this.emit('end');
  }

  private rejectWaiting(error: unknown): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const command of waiting) command.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
