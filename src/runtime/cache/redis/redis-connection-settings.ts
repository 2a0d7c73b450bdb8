/**
 * RedisConnectionSettings: where Redis is and how to reach it, once a configuration has been read and its defaults
 * filled in (parsed-settings.ts), and the addresses and labels derived from it for connections and messages.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

export interface RedisEndpoint {
  readonly host: string;
  /** Absent when the configuration gave none; 6379, or 6380 with TLS, is chosen at connect time as in SE.Redis. */
  readonly port?: number;
}

export interface RedisConnectionSettings {
  readonly endpoints: readonly RedisEndpoint[];
  readonly password?: string;
  /** ACL user (Redis 6+). */
  readonly user?: string;
  readonly ssl: boolean;
  /** Host name the server certificate must carry, when it is not the endpoint's host. */
  readonly sslHost?: string;
  /** True: connect() fails when Redis cannot be reached. False: connect() returns and retries in the background. */
  readonly abortOnConnectFail: boolean;
  /** Bound on each connection attempt. */
  readonly connectTimeoutMs: number;
  readonly syncTimeoutMs: number;
  /** Bound on every command; Node has only asynchronous I/O, so this is the timeout that applies. */
  readonly asyncTimeoutMs: number;
  /** Connection attempts connect() makes before it gives up when abortOnConnectFail is true. */
  readonly connectRetry: number;
  readonly defaultDatabase?: number;
  readonly clientName?: string;
  /** Redis Sentinel service name: the endpoints are then Sentinels, and the client connects to the primary they name. */
  readonly serviceName?: string;
  readonly keepAliveSeconds: number;
  /**
   * Node TLS client options merged into the connection when ssl is on, for what no configuration string can carry:
   * `ca` to trust a private certificate authority, a client certificate, and so on.
   */
  readonly extraTlsOptions?: ConnectionOptions;
  /** kestrun-ts extension: a commit waits for this many replicas to acknowledge it (WAIT), or fails. */
  readonly replicaAcknowledgements?: ReplicaAcknowledgements;
}

export interface ReplicaAcknowledgements {
  /** Replicas that must have the write before the commit succeeds: WAIT's numreplicas. */
  readonly replicas: number;
  /** How long WAIT may take, shorter than asyncTimeout. */
  readonly timeoutMs: number;
}

const DEFAULT_PORT = 6379;
export const DEFAULT_TLS_PORT = 6380;
const DEFAULT_SENTINEL_PORT = 26379;

/** SE.Redis's default ports: 26379 for a Sentinel, else 6379, or 6380 with TLS. */
export function resolvedPort(endpoint: RedisEndpoint, ssl: boolean, sentinel = false): number {
  return endpoint.port ?? (sentinel ? DEFAULT_SENTINEL_PORT : ssl ? DEFAULT_TLS_PORT : DEFAULT_PORT);
}

/** `host:port` or `[ipv6]:port`, with the port the connection will use. */
export function endpointAddress(endpoint: RedisEndpoint, settings: RedisConnectionSettings): string {
  const host = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${resolvedPort(endpoint, settings.ssl, settings.serviceName !== undefined)}`;
}

/** What the client connects to, for messages: `host:port`, `a:1,b:2`, or `service mymaster via sentinel(s) a:1,b:2`. */
export function redisTargetLabel(settings: RedisConnectionSettings): string {
  const addresses = settings.endpoints.map((endpoint) => endpointAddress(endpoint, settings)).join(',');
  return settings.serviceName === undefined ? addresses : `service ${settings.serviceName} via sentinel(s) ${addresses}`;
}

/** For logs, e.g. `127.0.0.1:6380 (tls, user default)`. Never contains the password. */
export function describeRedisSettings(settings: RedisConnectionSettings): string {
  const traits: string[] = [];
  if (settings.ssl) traits.push('tls');
  if (settings.user !== undefined) traits.push(`user ${settings.user}`);
  if (settings.defaultDatabase !== undefined) traits.push(`db ${settings.defaultDatabase}`);
  const target = redisTargetLabel(settings);
  return traits.length === 0 ? target : `${target} (${traits.join(', ')})`;
}
