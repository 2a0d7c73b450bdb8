/**
 * The replicaAcknowledgements option (a kestrun-ts extension): a commit is acknowledged only once N replicas have it.
 * The write and `WAIT N timeout` leave in the same socket write, on the same connection (on a Cluster, to the node
 * of the key), so durability costs no extra round trip; fewer acknowledgements in time fail the commit, which the
 * session engine answers with 503 like any failed commit.
 */
import { CacheUnavailableError } from '../distributed-cache.ts';
import { messageOf } from './connection-log.ts';
import type { CommandArgument } from './encoded-command.ts';
import type { ReplicaAcknowledgements } from './redis-connection-settings.ts';
import type { RedisConnection } from './redis-connection.ts';
import { refusesScripts, SET_ENTRY } from './redis-scripts.ts';
import type { ClusterRoute } from './topology-client.ts';

export class DurableWrite {
  constructor(
    private readonly connection: RedisConnection,
    private readonly acknowledgements: ReplicaAcknowledgements,
  ) {}

  /**
   * Runs SET_ENTRY with `args` and WAIT in one round trip. When the script cannot run (NOSCRIPT after a restart, or
   * a server that refuses scripts, `scripting` false), `plainWrite` stores the entry and WAIT follows it.
   */
  async set(redisKey: string, args: CommandArgument[], scripting: boolean, plainWrite: () => Promise<void>): Promise<void> {
    const route = this.connection.client.routeFor(redisKey);
    if (!scripting) return this.afterWrite(plainWrite(), route);
    const [written, acknowledged] = await Promise.allSettled([
      this.connection.send('evalsha', [SET_ENTRY.sha1, 1, ...args], null, route),
      this.wait(route),
    ]);
    if (written.status === 'rejected') {
      const reason = messageOf(written.reason);
      if (reason.startsWith('NOSCRIPT') || refusesScripts(reason)) return this.afterWrite(plainWrite(), route);
      if (/^(MOVED|ASK) /.test(reason)) this.connection.client.refreshRoutes();
      throw written.reason;
    }
    this.check(acknowledged);
  }

  /** The write, then WAIT: a second round trip, only where the script could not run. */
  private async afterWrite(write: Promise<void>, route: ClusterRoute | undefined): Promise<void> {
    await write;
    const [acknowledged] = await Promise.allSettled([this.wait(route)]);
    this.check(acknowledged);
  }

  private wait(route: ClusterRoute | undefined): Promise<unknown> {
    const { replicas, timeoutMs } = this.acknowledgements;
    return this.connection.send('wait', [replicas, timeoutMs], 'utf8', route);
  }

  private check(acknowledged: PromiseSettledResult<unknown>): void {
    if (acknowledged.status === 'rejected') throw acknowledged.reason;
    const { replicas, timeoutMs } = this.acknowledgements;
    const count = Number(acknowledged.value);
    if (!(count >= replicas)) {
      throw new CacheUnavailableError(
        `Only ${count} of the ${replicas} replica acknowledgement(s) required arrived within ${timeoutMs} ms; the session write may not survive a failover.`,
      );
    }
  }
}
