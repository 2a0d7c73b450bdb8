/**
 * ioredis options for the two topologies beyond a single node, derived from the same settings as StackExchange.Redis
 * would use them: Sentinel (`serviceName` with the Sentinels as endpoints) and Redis Cluster (detected at connect).
 */
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { reconnectDelayMs, tlsOptions, toIoredisOptions } from './ioredis-options.ts';
import { endpointAddress, resolvedPort } from './redis-connection-settings.ts';
import type { RedisConnectionSettings, RedisEndpoint } from './redis-connection-settings.ts';

export type ReconnectDelay = (attempt: number) => number | null;

/**
 * A client of the primary that the Sentinels name for `serviceName`. As in SE.Redis, password, user, ssl and
 * connectTimeout apply to the Sentinels and to the data nodes alike; defaultDatabase and name to the data nodes.
 * `reconnectDelay` also paces the rounds over all Sentinels, so abortConnect counts them as connect attempts.
 */
export function sentinelOptions(settings: RedisConnectionSettings, reconnectDelay: ReconnectDelay): RedisOptions {
  const serviceName = settings.serviceName;
  if (serviceName === undefined) throw new Error('The Redis settings name no Sentinel service (serviceName).');
  const { host: _host, port: _port, ...dataNode } = toIoredisOptions(settings);
  const options: RedisOptions = {
    ...dataNode,
    sentinels: settings.endpoints.map((endpoint) => ({ host: endpoint.host, port: resolvedPort(endpoint, settings.ssl, true) })),
    name: serviceName,
    retryStrategy: reconnectDelay,
    sentinelRetryStrategy: reconnectDelay,
    // A Sentinel that accepts the connection but never answers must not stall the search for the primary.
    sentinelCommandTimeout: settings.asyncTimeoutMs,
    // Reconnect as soon as a Sentinel publishes +switch-master, even while the old primary still answers.
    failoverDetector: true,
    sentinelReconnectStrategy: reconnectDelayMs,
  };
  if (settings.user !== undefined) options.sentinelUsername = settings.user;
  if (settings.password !== undefined) options.sentinelPassword = settings.password;
  if (settings.ssl) {
    // The primary's address comes from the Sentinels, so only sslHost can name its certificate.
    options.tls = tlsOptions(settings, undefined);
    options.enableTLSForSentinelMode = true;
    options.sentinelTLS = tlsOptions(settings, settings.endpoints[0]?.host);
  }
  return options;
}

/** The startup nodes and options of a Cluster client over the given endpoints. */
export function clusterOptions(
  settings: RedisConnectionSettings,
  reconnectDelay: ReconnectDelay,
): { nodes: { host: string; port: number }[]; options: ClusterOptions } {
  if (settings.defaultDatabase !== undefined && settings.defaultDatabase !== 0) {
    throw new Error(
      `Redis Cluster ${clusterLabel(settings.endpoints, settings)} has only database 0; remove defaultDatabase=${settings.defaultDatabase}.`,
    );
  }
  const { host: _host, port: _port, retryStrategy: _retry, db: _db, ...node } = toIoredisOptions(settings);
  if (settings.ssl) node.tls = tlsOptions(settings, undefined);
  return {
    nodes: settings.endpoints.map((endpoint) => ({ host: endpoint.host, port: resolvedPort(endpoint, settings.ssl) })),
    options: {
      redisOptions: node,
      lazyConnect: true,
      clusterRetryStrategy: (attempt) => reconnectDelay(attempt),
      // A node that restarts with the same slots (no MOVED to tell) is reconnected to.
      clusterNodeRetryStrategy: reconnectDelayMs,
      slotsRefreshTimeout: settings.asyncTimeoutMs,
    },
  };
}

function clusterLabel(endpoints: readonly RedisEndpoint[], settings: RedisConnectionSettings): string {
  return endpoints.map((endpoint) => endpointAddress(endpoint, settings)).join(',');
}
