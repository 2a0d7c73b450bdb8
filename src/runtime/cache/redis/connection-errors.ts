/** The CacheUnavailableErrors a RedisConnection fails with, each naming its Redis target. */
import { CacheUnavailableError } from '../distributed-cache.ts';
import { messageOf } from './connection-log.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';

export class ConnectionErrors {
  constructor(
    private readonly endpoint: string,
    private readonly settings: RedisConnectionSettings,
  ) {}

  /** A command's failure; `lastConnectionError` is the connection's latest 'error' event, if any since 'ready'. */
  toCacheError(command: string, error: unknown, lastConnectionError: unknown): CacheUnavailableError {
    if (error instanceof CacheUnavailableError) return error;
    if (error instanceof Error && error.name === 'ReplyError') return new CacheUnavailableError(error.message, { cause: error });
    if (error instanceof Error && error.message === 'Command timed out') return this.timeoutError(command, error);
    // ioredis rejects the commands it held with its own bookkeeping error; the connection error says what went wrong.
    const cause = lastConnectionError ?? error;
    const reason = cause instanceof Error && cause.name === 'MaxRetriesPerRequestError' ? 'connection lost' : messageOf(cause);
    return new CacheUnavailableError(`Redis ${this.endpoint} is unavailable (${reason}).`, { cause });
  }

  timeoutError(command: string, cause?: unknown): CacheUnavailableError {
    const message = `Redis ${this.endpoint} did not answer ${command.toUpperCase()} within ${this.settings.asyncTimeoutMs} ms.`;
    return new CacheUnavailableError(message, cause === undefined ? undefined : { cause });
  }

  /** `clientEnded`: ioredis has stopped retrying (status 'end'), so only another connect() reconnects. */
  unavailableError(clientEnded: boolean, lastConnectionError: unknown): CacheUnavailableError {
    const next = clientEnded ? 'connect() gave up; call it again to retry' : 'reconnecting in the background';
    return new CacheUnavailableError(
      `Redis ${this.endpoint} is unavailable (${messageOf(lastConnectionError ?? 'connection lost')}); ${next}.`,
      { cause: lastConnectionError },
    );
  }

  gaveUpError(lastConnectionError: unknown): CacheUnavailableError {
    const attempts = Math.max(1, this.settings.connectRetry);
    return new CacheUnavailableError(
      `It was not possible to connect to the redis server(s) ${this.endpoint}. ${attempts} connect attempt(s) failed; ` +
        `last error: ${messageOf(lastConnectionError)}. To keep retrying in the background instead, set abortConnect=false.`,
      { cause: lastConnectionError },
    );
  }

  closedError(): CacheUnavailableError {
    return new CacheUnavailableError(`The redis cache for ${this.endpoint} has been closed.`);
  }
}
