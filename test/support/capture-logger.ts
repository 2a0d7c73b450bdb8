import type { KrLogger, LogLevel } from '../../src/index.ts';

export interface CapturedEvent {
  readonly level: LogLevel;
  readonly message: string;
  readonly error: unknown;
}

/** A logger that keeps what it is told, so that tests can assert on warnings and errors. */
export class CaptureLogger implements KrLogger {
  readonly name = 'capture';
  readonly events: CapturedEvent[] = [];

  isEnabled(): boolean {
    return true;
  }
  write(level: LogLevel, message: string, error?: unknown): void {
    this.events.push({ level, message, error });
  }
  verbose(message: string, error?: unknown): void {
    this.write('Verbose', message, error);
  }
  debug(message: string, error?: unknown): void {
    this.write('Debug', message, error);
  }
  information(message: string, error?: unknown): void {
    this.write('Information', message, error);
  }
  warning(message: string, error?: unknown): void {
    this.write('Warning', message, error);
  }
  error(message: string, error?: unknown): void {
    this.write('Error', message, error);
  }
  fatal(message: string, error?: unknown): void {
    this.write('Fatal', message, error);
  }
  async close(): Promise<void> {}

  messages(level?: LogLevel): string[] {
    return this.events.filter((event) => level === undefined || event.level === level).map((event) => event.message);
  }
}
