/**
 * The hot path onto a Redis Cluster: a command goes straight to the connection of the primary that the Cluster
 * client's slot map names for its slot. Cluster#sendCommand picks the same connection, but to follow MOVED and ASK
 * it wraps every command's reject in fresh closures and records the command in a WeakSet, work that every session
 * command would pay for the rare redirect.
 * A command sent this way gets MOVED or ASK back as an error (see isClusterRedirect), and is sent again the ioredis
 * way, which follows it and updates the slot map: a resharding costs its slots one more round trip per command.
 */
import type { Cluster, Command, Redis } from './ioredis.ts';

export class ClusterNodes {
  /** The Cluster client's node connections by `host:port`, as its slot map names them; rebuilt when nodes change. */
  private readonly byAddress = new Map<string, Redis>();

  constructor(private readonly cluster: Cluster) {
    const forget = (): void => this.byAddress.clear();
    cluster.on('+node', forget);
    cluster.on('-node', forget);
  }

  /** The connection serving `command`'s slot, if it is ready; undefined for a command without a key. */
  connectionFor(command: Command): Redis | undefined {
    const slot = command.getSlot();
    const address = slot === null ? undefined : this.cluster.slots[slot]?.[0];
    if (address === undefined) return undefined;
    if (!this.byAddress.has(address)) this.index();
    const node = this.byAddress.get(address);
    return node?.status === 'ready' ? node : undefined;
  }

  private index(): void {
    this.byAddress.clear();
    for (const node of this.cluster.nodes('all')) this.byAddress.set(`${node.options.host}:${node.options.port}`, node);
  }
}

/** A Cluster's answer that the command belongs elsewhere or later: it was not run, so sending it again is safe. */
export function isClusterRedirect(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError' && /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /.test(error.message);
}
