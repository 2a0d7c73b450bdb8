/**
 * The cache's connection to Redis: the client (a TopologyClient), its state, connect() with StackExchange.Redis's
 * abortConnect semantics, reconnection, and the asyncTimeout deadline of every command.
 *
 * Failure semantics: nothing waits for an outage to end. Every command is bounded by asyncTimeout; once the connection
 * has dropped, commands fail at once with CacheUnavailableError until ioredis has reconnected on its own.
 */
import { AsyncResource } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type { Command } from 'ioredis';
import { DeadlineQueue } from '../../timing/deadline-queue.ts';
import { isClusterRedirect } from './cluster-nodes.ts';
import { ConnectionErrors } from './connection-errors.ts';
import { ConnectionLog } from './connection-log.ts';
import type { RedisCacheLog } from './connection-log.ts';
import { EncodedCommand } from './encoded-command.ts';
import type { CommandArgument } from './encoded-command.ts';
import { reconnectDelayMs } from './ioredis-options.ts';
import { redisTargetLabel } from './redis-connection-settings.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { TopologyClient } from './topology-client.ts';
import type { ClusterRoute, Routing } from './topology-client.ts';
import { WriteBatcher } from './write-batcher.ts';

/** 'utf8' decodes replies to strings; null keeps them as Buffers. */
export type ReplyEncoding = 'utf8' | null;
export type SendCommand = (name: string, args: CommandArgument[], replyEncoding: ReplyEncoding) => Promise<unknown>;

const QUIT_TIMEOUT_MS = 1000;

export class RedisConnection {
  readonly client: TopologyClient;
  readonly endpoint: string;
  private readonly log: ConnectionLog;
  private readonly errors: ConnectionErrors;
  private readonly deadlines: DeadlineQueue<Command>;
  private readonly batcher = new WriteBatcher();
  private everReady = false;
  /** An error or close since the last 'ready': the connection is known to be down. */
  private lostSinceReady = false;
  private lastConnectionError: unknown;
  /** Set while an abortOnConnectFail connect() runs: how many more failed attempts it tolerates. */
  private connectAttemptsLeft: number | undefined;
  private connecting: Promise<void> | undefined;
  private abandonConnect: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  private readonly sockets = (): readonly Socket[] => this.client.sockets;
  /**
   * Commands are made and written in the connection's own async context, not the calling route's. Otherwise
   * AsyncLocalStorage hands every request's context to ioredis's per-command objects, and with it the whole request
   * outlives young-generation collections: several times the garbage-collection work per request.
   */
  private readonly asyncScope = new AsyncResource('KrRedisConnection');

  /** `onReady` runs on every (re)connection, before any command of a waiting caller is sent. */
  constructor(
    private readonly settings: RedisConnectionSettings,
    log: RedisCacheLog,
    private readonly onReady: () => void,
  ) {
    this.endpoint = redisTargetLabel(settings);
    this.log = new ConnectionLog(log, this.endpoint);
    this.errors = new ConnectionErrors(this.endpoint, settings);
    this.deadlines = new DeadlineQueue<Command>(settings.asyncTimeoutMs, {
      isPending: (command) => !command.isSettled,
      expire: (command) => command.reject(this.errors.timeoutError(command.name)),
    });
    this.client = new TopologyClient(settings, (attempt) => this.nextReconnectDelay(attempt));
    this.client.on('ready', () => this.ready());
    this.client.on('error', (error: unknown) => this.connectionError(error));
    this.client.on('close', () => this.closed());
  }

  /**
   * Sends one command; every failure arrives as CacheUnavailableError, the server's own errors with their message.
   * A `route` (see TopologyClient.routeFor) pins the command to one Cluster node, without following redirects;
   * without one, a Cluster's MOVED or ASK makes it go once more, through ioredis, which follows them.
   */
  send(name: string, args: CommandArgument[], replyEncoding: ReplyEncoding, route?: ClusterRoute): Promise<unknown> {
    return this.asyncScope.runInAsyncScope(this.sendInScope, this, name, args, replyEncoding, route);
  }

  /** The caller's await still resumes in the caller's context: only what the connection itself makes leaves it. */
  private sendInScope(name: string, args: CommandArgument[], replyEncoding: ReplyEncoding, route: ClusterRoute | undefined): Promise<unknown> {
    return this.sendOnce(name, args, replyEncoding, route).catch((error: unknown) => {
      // Sent straight to a Cluster node that no longer serves the slot: ioredis follows the redirect this time.
      if (route === undefined && isClusterRedirect(error)) {
        return this.sendOnce(name, args, replyEncoding, 'follow-redirects').catch((retryError: unknown) =>
          Promise.reject(this.errors.toCacheError(name, retryError, this.lastConnectionError)),
        );
      }
      return Promise.reject(this.errors.toCacheError(name, error, this.lastConnectionError));
    });
  }

  connect(): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(this.errors.closedError());
    if (this.client.status === 'ready') return Promise.resolve();
    if (!this.settings.abortOnConnectFail) {
      this.startConnecting();
      return Promise.resolve();
    }
    // After an outage ioredis is already reconnecting; limiting its attempts here would stop that for good.
    if (this.everReady) return Promise.reject(this.errors.unavailableError(this.client.status === 'end', this.lastConnectionError));
    this.connecting ??= this.connectOrGiveUp().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  close(): Promise<void> {
    this.closing ??= this.quit();
    return this.closing;
  }

  /** The command's reply, or why it could not be sent, as ioredis or the server gave it. */
  private sendOnce(name: string, args: CommandArgument[], replyEncoding: ReplyEncoding, routing: Routing | undefined): Promise<unknown> {
    const command = new EncodedCommand(name, args, replyEncoding);
    const refusal = this.dispatch(command, routing);
    return refusal === undefined ? command.promise : Promise.reject(refusal);
  }

  /**
   * Writes a command unless the connection is known to be down, and returns why not otherwise. Its deadline is
   * asyncTimeout, kept by one shared timer.
   */
  private dispatch(command: Command, routing: Routing | undefined): unknown {
    if (this.closing !== undefined) return this.errors.closedError();
    const status = this.client.status;
    // Before the first connection has been tried, commands wait in ioredis's offline queue (bounded by their
    // deadline); after a failure nothing may wait for the reconnect.
    if (status !== 'ready' && (this.everReady || this.lostSinceReady || status === 'end')) {
      return this.errors.unavailableError(status === 'end', this.lastConnectionError);
    }
    if (status === 'ready') this.batcher.beforeWrite(this.sockets);
    try {
      this.client.sendCommand(command, routing);
    } catch (error) {
      return error;
    }
    this.deadlines.add(command);
    return undefined;
  }

  /** Kicks off a connection unless one is under way; ioredis then keeps retrying on its own. */
  private startConnecting(): void {
    if (this.client.status === 'wait' || this.client.status === 'end') {
      // Failures arrive as 'error' and 'close' events, which are logged; the promise carries nothing more.
      this.client.connect().catch(() => undefined);
    }
  }

  /** SE.Redis abortConnect=true: up to connectRetry attempts, each bounded by connectTimeout, then an error. */
  private connectOrGiveUp(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (): void => {
        this.client.off('ready', onReady);
        this.client.off('end', onEnd);
        this.abandonConnect = undefined;
        this.connectAttemptsLeft = undefined;
      };
      const onReady = (): void => {
        settle();
        resolve();
      };
      const onEnd = (): void => {
        settle();
        reject(this.errors.gaveUpError(this.lastConnectionError));
      };
      this.client.once('ready', onReady);
      this.client.once('end', onEnd);
      // disconnect() while ioredis waits to retry emits no 'end', so close() settles the promise itself.
      this.abandonConnect = () => {
        settle();
        reject(this.errors.closedError());
      };
      this.connectAttemptsLeft = Math.max(1, this.settings.connectRetry);
      this.startConnecting();
    });
  }

  private nextReconnectDelay(attempt: number): number | null {
    if (this.connectAttemptsLeft !== undefined) {
      this.connectAttemptsLeft -= 1;
      // null ends ioredis's retrying; the client goes to 'end', which settles connectOrGiveUp.
      if (this.connectAttemptsLeft <= 0) return null;
    }
    return reconnectDelayMs(attempt);
  }

  private async quit(): Promise<void> {
    this.abandonConnect?.();
    if (this.client.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
      });
      await Promise.race([this.client.quit().then(() => undefined, () => undefined), timeout]);
      clearTimeout(timer);
    }
    // Also stops a pending reconnect. Skipped at 'end', where ioredis would only arm a timer for a closed socket.
    if (this.client.status !== 'end') this.client.disconnect();
  }

  private ready(): void {
    this.connectAttemptsLeft = undefined;
    this.log.connected(this.everReady);
    this.everReady = true;
    this.lostSinceReady = false;
    this.lastConnectionError = undefined;
    this.onReady();
  }

  private closed(): void {
    if (this.closing !== undefined) return;
    if (this.everReady && !this.lostSinceReady) this.log.lost();
    this.lostSinceReady = true;
  }

  private connectionError(error: unknown): void {
    this.lostSinceReady = true;
    this.lastConnectionError = error;
    if (this.closing !== undefined) return;
    // connect() reports the failure itself once it gives up.
    if (this.connectAttemptsLeft !== undefined) this.log.attemptFailed(error);
    else this.log.error(error, this.everReady, Date.now());
  }
}
