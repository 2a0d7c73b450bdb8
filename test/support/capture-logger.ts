import type { LogLevel } from '../../src/index.ts';
import { KrLoggerBase } from '../../src/runtime/logging/kr-logger.ts';

export interface CapturedEvent {
  readonly level: LogLevel;
  readonly message: string;
  readonly error: unknown;
}

/** A logger that keeps what it is told, so that tests can assert on warnings and errors. */
export class CaptureLogger extends KrLoggerBase {
  readonly name = 'capture';
  readonly events: CapturedEvent[] = [];

  isEnabled(): boolean {
    return true;
  }
  write(level: LogLevel, message: string, error?: unknown): void {
    this.events.push({ level, message, error });
  }
  async close(): Promise<void> {}

  messages(level?: LogLevel): string[] {
    return this.events.filter((event) => level === undefined || event.level === level).map((event) => event.message);
  }
}
