/**
 * What StackExchange.Redis learns from the servers before it picks a connection type: whether the endpoints belong to
 * a Redis Cluster, and otherwise which of them is the primary. One short-lived connection per endpoint, in order.
 */
import { toIoredisOptions } from './ioredis-options.ts';
import { Redis } from './ioredis.ts';
import { endpointAddress } from './redis-connection-settings.ts';
import type { RedisConnectionSettings, RedisEndpoint } from './redis-connection-settings.ts';

export type Topology = { readonly kind: 'cluster' } | { readonly kind: 'standalone'; readonly endpoint: RedisEndpoint };

interface NodeFacts {
  readonly cluster: boolean;
  /** undefined when the server would not say (an ACL without INFO). */
  readonly primary: boolean | undefined;
}

/**
 * The topology the endpoints form. Rejects with the last connection error when none answers, and with a clear error
 * when several answer and none of them is a primary.
 */
export async function probeTopology(settings: RedisConnectionSettings): Promise<Topology> {
  let lastError: unknown;
  const replicas: string[] = [];
  for (const endpoint of settings.endpoints) {
    let facts: NodeFacts;
    try {
      facts = await nodeFacts(settings, endpoint);
    } catch (error) {
      lastError = error;
      continue;
    }
    if (facts.cluster) return { kind: 'cluster' };
    // A single endpoint is used whatever its role, as before: writes to a replica fail with Redis's own READONLY.
    if (facts.primary !== false || settings.endpoints.length === 1) return { kind: 'standalone', endpoint };
    replicas.push(endpointAddress(endpoint, settings));
  }
  if (replicas.length === 0) throw lastError ?? new Error('The Redis settings name no endpoint.');
  throw new Error(
    `None of the Redis endpoints is a primary (${replicas.join(', ')} answered as replicas). Name the primary, ` +
      'a node of a Redis Cluster, or Sentinels with serviceName=<name>.',
  );
}

async function nodeFacts(settings: RedisConnectionSettings, endpoint: RedisEndpoint): Promise<NodeFacts> {
  // No SELECT: a Cluster node refuses it, and the answer to INFO does not depend on the database.
  const { db: _db, ...options } = toIoredisOptions(settings, endpoint);
  const probe = new Redis({ ...options, retryStrategy: () => null, enableReadyCheck: false, commandTimeout: settings.asyncTimeoutMs });
  // connect() only says the connection closed; the 'error' event says why (ECONNREFUSED, WRONGPASS, a certificate).
  let cause: unknown;
  probe.on('error', (error: unknown) => {
    cause ??= error;
  });
  try {
    await probe.connect().catch((error: unknown) => Promise.reject(cause ?? error));
    let info: string;
    try {
      info = String(await probe.call('INFO'));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOPERM')) return { cluster: false, primary: undefined };
      throw error;
    }
    return { cluster: /^cluster_enabled:1\r?$/m.test(info), primary: /^role:master\r?$/m.test(info) };
  } finally {
    probe.disconnect();
  }
}
