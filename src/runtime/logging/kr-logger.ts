import winston from 'winston';
import type TransportStream from 'winston-transport';
import type { LogEvent } from './console-format.ts';
import { ConsoleTransport } from './console-transport.ts';
import { WINSTON_LEVELS } from './log-level.ts';
import type { LogLevel } from './log-level.ts';
import type { LoggerConfiguration, SinkDefinition } from './logger-configuration.ts';

// The console's own output lives beside the console sinks; servers and tests reach it through the logger module.
export { flushConsoleSinks, writeConsole } from './console-output.ts';

export interface KrLogger {
  readonly name: string | undefined;
  isEnabled(level: LogLevel): boolean;
  write(level: LogLevel, message: string, error?: unknown): void;
  verbose(message: string, error?: unknown): void;
  debug(message: string, error?: unknown): void;
  information(message: string, error?: unknown): void;
  warning(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
  fatal(message: string, error?: unknown): void;
  /** Flushes and closes every sink; later writes are dropped. */
  close(): Promise<void>;
}

/** The six level methods of every KrLogger, in terms of `write`. */
export abstract class KrLoggerBase implements KrLogger {
  abstract readonly name: string | undefined;
  abstract isEnabled(level: LogLevel): boolean;
  abstract write(level: LogLevel, message: string, error?: unknown): void;
  abstract close(): Promise<void>;

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
}

/** Each kind of sink a configuration can hold is a winston transport. */
function sinkTransport(sink: SinkDefinition): TransportStream {
  switch (sink.kind) {
    case 'console':
      return new ConsoleTransport(sink);
  }
}

/** Sinks render events with their own templates, so the logger hands them on as they are (winston's default is JSON). */
const UNCHANGED = winston.format((event) => event)();

/** A KrLogger backed by a winston logger: winston filters each event by level and drives the sinks' transports. */
class WinstonKrLogger extends KrLoggerBase {
  private readonly winston: winston.Logger;
  /** winston's number for the least severe level any sink writes, -1 when nothing would be written. */
  private readonly leastSevere: number;
  private closed = false;

  constructor(
    readonly name: string | undefined,
    configuration: LoggerConfiguration,
  ) {
    super();
    const transports = configuration.sinks.map(sinkTransport);
    const sinkMinimum = Math.max(-1, ...configuration.sinks.map((sink) => WINSTON_LEVELS[sink.restrictedToMinimumLevel]));
    this.leastSevere = Math.min(WINSTON_LEVELS[configuration.minimumLevel], sinkMinimum);
    this.winston = winston.createLogger({ levels: WINSTON_LEVELS, level: configuration.minimumLevel, format: UNCHANGED, transports, exitOnError: false });
    this.winston.on('error', () => {
      // A failing sink must never take the server down; there is nowhere left to report it.
    });
  }

  /** Checked before a message is built: a transport's own level would let through what the logger's level refuses. */
  isEnabled(level: LogLevel): boolean {
    return !this.closed && WINSTON_LEVELS[level] <= this.leastSevere;
  }

  write(level: LogLevel, message: string, error?: unknown): void {
    if (!this.isEnabled(level)) return;
    const event: LogEvent = { level, message, error, timestamp: Date.now() };
    this.winston.log(event);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ending the logger ends each transport, which writes what it still buffers before 'finish'.
    const finished = new Promise<void>((resolve) => this.winston.once('finish', () => resolve()));
    this.winston.end();
    await finished;
  }
}

export function createKrLogger(name: string | undefined, configuration: LoggerConfiguration): KrLogger {
  return new WinstonKrLogger(name, configuration);
}
