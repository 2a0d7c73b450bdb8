/**
 * What the cache logs about its connection: the first error of an outage with its stack, then at most one short
 * line per window (with the count held back), one line when the connection drops and one when it is back.
 */
export type RedisCacheLogLevel = 'debug' | 'information' | 'warning' | 'error';
export type RedisCacheLog = (level: RedisCacheLogLevel, message: string, error?: unknown) => void;

const ERROR_LOG_WINDOW_MS = 10_000;

export class ConnectionLog {
  private lastLoggedAt = -Infinity;
  private suppressed = 0;
  private errorsThisOutage = 0;

  constructor(
    private readonly log: RedisCacheLog,
    private readonly endpoint: string,
  ) {}

  connected(reconnected: boolean): void {
    const note = this.suppressed > 0 ? ` (${this.suppressed} further connection error(s) were not logged)` : '';
    this.log('information', `${reconnected ? 'Reconnected' : 'Connected'} to redis ${this.endpoint}${note}.`);
    this.lastLoggedAt = -Infinity;
    this.suppressed = 0;
    this.errorsThisOutage = 0;
  }

  lost(): void {
    this.log('warning', `Lost the connection to redis ${this.endpoint}; reconnecting in the background. Session requests fail with 503 meanwhile.`);
  }

  /** A failed attempt of a connect() that reports its own outcome. */
  attemptFailed(error: unknown): void {
    this.log('debug', `Connecting to redis ${this.endpoint} failed: ${messageOf(error)}`, error);
  }

  /** A connection error while connected or reconnecting in the background. */
  error(error: unknown, everReady: boolean, now: number): void {
    if (now - this.lastLoggedAt < ERROR_LOG_WINDOW_MS) {
      this.suppressed += 1;
      return;
    }
    const note = this.suppressed > 0 ? ` (${this.suppressed} similar error(s) not logged)` : '';
    // The stack of the first error is the one worth reading; later ones of the same outage repeat it.
    const stack = this.errorsThisOutage === 0 ? error : undefined;
    this.lastLoggedAt = now;
    this.suppressed = 0;
    this.errorsThisOutage += 1;
    if (everReady) this.log('error', `Redis ${this.endpoint} connection error: ${messageOf(error)}${note}`, stack);
    else this.log('warning', `Redis ${this.endpoint} is not reachable yet; retrying in the background: ${messageOf(error)}${note}`, stack);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
