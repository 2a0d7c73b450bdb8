/** RedisConnectionSettings as ioredis options: timeouts, TLS, and the reconnect policy that lets the cache heal. */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import { resolvedPort } from './redis-connection-settings.ts';
import type { RedisConnectionSettings, RedisEndpoint } from './redis-connection-settings.ts';

/** Well under a second, so that once Redis is back the next request succeeds within one, whatever the outage lasted. */
const MAX_RECONNECT_DELAY_MS = 500;

/**
 * ioredis options for one data node: `endpoint`, by default the first of the settings. Sentinel and Cluster clients
 * build on these (see redis-topology.ts).
 */
export function toIoredisOptions(settings: RedisConnectionSettings, endpoint: RedisEndpoint = firstEndpoint(settings)): RedisOptions {
  const options: RedisOptions = {
    host: endpoint.host,
    port: resolvedPort(endpoint, settings.ssl),
    connectTimeout: settings.connectTimeoutMs,
    // A server that stops answering on an open socket (a dropped network path) would otherwise cost every later
    // command its full timeout; destroying the socket makes ioredis reconnect and lets callers fail fast meanwhile.
    socketTimeout: settings.asyncTimeoutMs,
    // SE.Redis keepAlive is an application-level heartbeat every N seconds; ioredis has none, and TCP keep-alive
    // with the same idle delay is the nearest way to notice a silently dead connection.
    keepAlive: settings.keepAliveSeconds * 1000,
    lazyConnect: true,
    retryStrategy: reconnectDelayMs,
    // Commands are never held across reconnects: a session request must answer 503 now, not after the outage.
    maxRetriesPerRequest: 0,
    // A primary demoted to replica (a failover, or an old primary back on its address) keeps the connection open;
    // reconnecting asks the Sentinels, or the address, again.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  if (settings.user !== undefined) options.username = settings.user;
  if (settings.password !== undefined) options.password = settings.password;
  if (settings.defaultDatabase !== undefined) options.db = settings.defaultDatabase;
  if (settings.clientName !== undefined) options.connectionName = settings.clientName;
  if (settings.ssl) options.tls = tlsOptions(settings, endpoint.host);
  return options;
}

/** TLS client options for a connection to `host`, or to hosts learnt at run time (Sentinel's primary) when undefined. */
export function tlsOptions(settings: RedisConnectionSettings, host: string | undefined): ConnectionOptions {
  // Node refuses an IP address as SNI server name; without one it checks the certificate against the host itself.
  const servername = settings.sslHost ?? (host !== undefined && isIP(host) === 0 ? host : undefined);
  return { ...(servername !== undefined && { servername }), ...settings.extraTlsOptions };
}

/** Capped exponential back-off with jitter, retrying forever so the cache heals on its own when Redis returns. */
export function reconnectDelayMs(attempt: number): number {
  const jitter = Math.floor(Math.random() * 100);
  return Math.min(50 * 2 ** Math.max(0, attempt - 1) + jitter, MAX_RECONNECT_DELAY_MS);
}

function firstEndpoint(settings: RedisConnectionSettings): RedisEndpoint {
  const endpoint = settings.endpoints[0];
  if (endpoint === undefined) throw new Error('The Redis settings name no endpoint.');
  return endpoint;
}
