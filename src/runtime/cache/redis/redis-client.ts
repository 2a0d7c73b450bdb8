/**
 * The one place that decides what kind of ioredis client the cache talks through. Everything else sees the narrow
 * RedisClient below, which a standalone or Sentinel-backed `Redis` and a `Cluster` all satisfy.
 */
import type { Socket } from 'node:net';
import type { Command } from 'ioredis';
import type { RedisConnectionSettings } from './redis-configuration.ts';
import { TopologyClient } from './topology-client.ts';

export interface RedisClient {
  /** ioredis's connection status: 'wait', 'connecting', 'connect', 'ready', 'reconnecting', 'close', 'end', ... */
  readonly status: string;
  /** The sockets commands are written to: one, or one per primary of a Cluster; none while disconnected. */
  readonly sockets: readonly Socket[];
  /** Writes the command or queues it; its outcome settles `command.promise`. */
  sendCommand(command: Command): unknown;
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  /** Closes the connection and stops reconnecting. */
  disconnect(): void;
  /** Events used: 'ready', 'error', 'close' and 'end'. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * The client for the settings, not yet connected (lazyConnect): of the primary the Sentinels name with serviceName,
 * else of whatever the endpoints turn out to be at connect time, a Cluster or a primary (see TopologyClient).
 * `reconnectDelay` is ioredis's retry strategy: the delay before reconnect attempt `attempt`, or null to give up.
 */
export function createRedisClient(settings: RedisConnectionSettings, reconnectDelay: (attempt: number) => number | null): TopologyClient {
  return new TopologyClient(settings, reconnectDelay);
}
