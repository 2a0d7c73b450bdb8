import TransportStream from 'winston-transport';
import { compileOutputTemplate } from './console-format.ts';
import type { LogEvent } from './console-format.ts';
import { closeConsoleSink, openConsoleSink, PendingOutput } from './console-output.ts';
import { isLevelEnabled } from './log-level.ts';
import type { LogLevel } from './log-level.ts';
import type { ConsoleSinkDefinition } from './logger-configuration.ts';

/** A batch goes out at least this often, and as soon as FLUSH_BYTES of its lines are waiting. */
const FLUSH_INTERVAL_MS = 20;
/** Large batches cost less a line: a write costs about the same whatever its size. */
const FLUSH_BYTES = 64 * 1024;
/** Room past FLUSH_BYTES for the lines encoded together with the one that reaches it. */
const BUFFER_BYTES = FLUSH_BYTES + 16 * 1024;
/** Events are rendered at least this many at a time, so that a loop of log calls still fills and writes batches. */
const EVENTS_PER_RENDERING = 256;

type WriteCallback = (error: Error | null | undefined) => void;

/** One event as winston hands a batch to logv(). */
interface BufferedWrite {
  readonly chunk: LogEvent;
}

/**
 * Add-KrSinkConsole's sink: a winston transport that renders each event with the sink's Serilog-style template and
 * writes the lines to stdout (stderr from `standardErrorFromLevel`) in batches, since a server logs a line per
 * request and a write per line would be a system call per request. While a batch is open the stream is corked, so
 * winston leaves the events in it and hands them over together (logv) instead of one write, callback and tick each.
 */
export class ConsoleTransport extends TransportStream {
  private readonly render: (event: LogEvent) => string;
  private readonly stderrFrom: LogLevel | undefined;
  private readonly stdout = new PendingOutput(() => process.stdout, BUFFER_BYTES);
  private readonly stderr = new PendingOutput(() => process.stderr, BUFFER_BYTES);
  private corked = false;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(definition: ConsoleSinkDefinition) {
    // winston drops the events below `level`; the high-water mark leaves room for a batch, so winston never waits.
    const options = { level: definition.restrictedToMinimumLevel, highWaterMark: EVENTS_PER_RENDERING + 1 };
    super(options);
    this.render = compileOutputTemplate(definition.outputTemplate);
    this.stderrFrom = definition.standardErrorFromLevel;
    openConsoleSink(this);
  }

  /** winston's pipe writes each event here: the first one of a batch corks the stream and sets the flush timer. */
  override write(event: LogEvent, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    if (!this.corked) {
      this.corked = true;
      this.cork();
      this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    }
    const accepted = typeof encoding === 'function' ? super.write(event, encoding) : super.write(event, encoding ?? 'utf8', callback);
    if (this.writableLength >= EVENTS_PER_RENDERING) this.renderWaiting();
    return accepted;
  }

  override log(event: LogEvent, next: () => void): void {
    this.append(event);
    next();
  }

  override logv(writes: readonly BufferedWrite[], next: () => void): void {
    for (const write of writes) this.append(write.chunk);
    next();
  }

  /** winston ends its transports when the logger is closed: the buffered lines go out before 'finish'. */
  override _final(callback: (error?: Error | null) => void): void {
    closeConsoleSink(this);
    callback();
  }

  /** Writes everything waiting, in the stream and in the outputs, now. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.renderWaiting();
    this.stdout.flush();
    this.stderr.flush();
  }

  /** Uncorking hands the waiting events to log() or logv() at once, synchronously. */
  private renderWaiting(): void {
    if (!this.corked) return;
    this.corked = false;
    this.uncork();
  }

  private append(event: LogEvent): void {
    // isLevelEnabled(minimum, level): the event goes to stderr when it is at least as severe as stderrFrom.
    const output = this.stderrFrom !== undefined && isLevelEnabled(this.stderrFrom, event.level) ? this.stderr : this.stdout;
    output.append(this.render(event));
    // Both streams go out together, so that a flush keeps stdout's and stderr's lines close in time.
    if (output.encodedBytes >= FLUSH_BYTES) {
      this.stdout.flush();
      this.stderr.flush();
    }
  }
}
