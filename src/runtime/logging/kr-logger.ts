import { Writable } from 'node:stream';
import winston from 'winston';
import { compileOutputTemplate } from './console-format.ts';
import type { LogEvent } from './console-format.ts';
import { isLevelEnabled, LOG_LEVELS, WINSTON_LEVELS } from './log-level.ts';
import type { LogLevel } from './log-level.ts';
import type { ConsoleSinkDefinition, LoggerConfiguration } from './logger-configuration.ts';

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

const EVENT = Symbol.for('kestrun-ts.event');

type WinstonInfo = winston.Logform.TransformableInfo & { [EVENT]?: LogEvent };

/**
 * Console output is gathered and written once per turn of the event loop: under load a server logs a line
 * per request, and a write per line would cost a system call each.
 */
class BatchedOutput extends Writable {
  private buffered = '';
  private flushScheduled = false;

  constructor(private readonly target: NodeJS.WriteStream) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    done();
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.buffered) this.target.write(this.buffered);
    this.buffered = '';
  }
}

interface ConsoleSink {
  readonly transports: winston.transport[];
  readonly outputs: BatchedOutput[];
}

function createConsoleSink(definition: ConsoleSinkDefinition): ConsoleSink {
  const render = compileOutputTemplate(definition.outputTemplate);
  const stderrFrom = definition.standardErrorFromLevel;
  // isLevelEnabled(minimum, level): the event goes to stderr when it is at least as severe as stderrFrom.
  const toStderr = (level: LogLevel): boolean => stderrFrom !== undefined && isLevelEnabled(stderrFrom, level);
  const transportFor = (target: NodeJS.WriteStream, accepts: (level: LogLevel) => boolean) => {
    const output = new BatchedOutput(target);
    const transport = new winston.transports.Stream({
      stream: output,
      level: definition.restrictedToMinimumLevel,
      eol: '',
      format: winston.format.printf((info: WinstonInfo) => {
        const event = info[EVENT];
        return event !== undefined && accepts(event.level) ? render(event) : '';
      }),
    });
    return { transport, output };
  };
  const stdout = transportFor(process.stdout, (level) => !toStderr(level));
  const sinks = stderrFrom === undefined ? [stdout] : [stdout, transportFor(process.stderr, toStderr)];
  return { transports: sinks.map((sink) => sink.transport), outputs: sinks.map((sink) => sink.output) };
}

class WinstonKrLogger implements KrLogger {
  private readonly winston: winston.Logger;
  private readonly sinks: readonly ConsoleSink[];
  private readonly effectiveMinimum: number;
  private closed = false;

  constructor(
    readonly name: string | undefined,
    configuration: LoggerConfiguration,
  ) {
    this.sinks = configuration.sinks.map(createConsoleSink);
    const sinkMinimum = Math.max(-1, ...configuration.sinks.map((sink) => WINSTON_LEVELS[sink.restrictedToMinimumLevel]));
    this.effectiveMinimum = this.sinks.length === 0 ? -1 : Math.min(WINSTON_LEVELS[configuration.minimumLevel], sinkMinimum);
    this.winston = winston.createLogger({
      levels: WINSTON_LEVELS,
      // winston's default logger format serialises every event to JSON; the sinks render their own lines.
      format: winston.format((info) => info)(),
      level: configuration.minimumLevel,
      transports:
        this.sinks.length === 0
          ? [new winston.transports.Console({ silent: true })]
          : this.sinks.flatMap((sink) => sink.transports),
      exitOnError: false,
    });
    this.winston.on('error', () => {
      // A failing sink must never take the server down; there is nowhere left to report it.
    });
  }

  isEnabled(level: LogLevel): boolean {
    return !this.closed && WINSTON_LEVELS[level] <= this.effectiveMinimum;
  }

  write(level: LogLevel, message: string, error?: unknown): void {
    if (!this.isEnabled(level)) return;
    const event: LogEvent = { timestamp: new Date(), level, message, error };
    this.winston.log({ level, message, [EVENT]: event } as winston.LogEntry);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const finished = new Promise<void>((resolve) => this.winston.once('finish', () => resolve()));
    this.winston.end();
    await finished;
    for (const sink of this.sinks) for (const output of sink.outputs) output.flush();
  }
}

export function createKrLogger(name: string | undefined, configuration: LoggerConfiguration): KrLogger {
  return new WinstonKrLogger(name, configuration);
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
