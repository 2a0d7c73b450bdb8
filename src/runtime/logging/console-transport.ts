import TransportStream from 'winston-transport';
import { compileOutputTemplate } from './console-format.ts';
import type { LogEvent } from './console-format.ts';
import { closeConsoleSink, openConsoleSink, PendingOutput } from './console-output.ts';
import { isLevelEnabled } from './log-level.ts';
import type { LogLevel } from './log-level.ts';
import type { ConsoleSinkDefinition } from './logger-configuration.ts';

/** Buffered lines are written at least this often, and at once when FLUSH_BYTES are waiting. */
const FLUSH_INTERVAL_MS = 20;
/** Large batches cost less a line: a write costs about the same whatever its size. */
const FLUSH_BYTES = 64 * 1024;
/** Room past FLUSH_BYTES for the lines encoded together with the one that reaches it. */
const BUFFER_BYTES = FLUSH_BYTES + 16 * 1024;

/**
 * Add-KrSinkConsole's sink: a winston transport that renders each event with the sink's Serilog-style template and
 * writes the lines to stdout (stderr from `standardErrorFromLevel`) in batches, since a server logs a line per
 * request and a write per line would be a system call per request.
 */
export class ConsoleTransport extends TransportStream {
  private readonly render: (event: LogEvent) => string;
  private readonly stderrFrom: LogLevel | undefined;
  private readonly stdout = new PendingOutput(() => process.stdout, BUFFER_BYTES);
  private readonly stderr = new PendingOutput(() => process.stderr, BUFFER_BYTES);
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(definition: ConsoleSinkDefinition) {
    // winston drops the events below `level` before they reach log().
    super({ level: definition.restrictedToMinimumLevel });
    this.render = compileOutputTemplate(definition.outputTemplate);
    this.stderrFrom = definition.standardErrorFromLevel;
    openConsoleSink(this);
  }

  override log(event: LogEvent, next: () => void): void {
    // isLevelEnabled(minimum, level): the event goes to stderr when it is at least as severe as stderrFrom.
    const output = this.stderrFrom !== undefined && isLevelEnabled(this.stderrFrom, event.level) ? this.stderr : this.stdout;
    output.append(this.render(event));
    // Both streams go out together, so that a flush keeps stdout's and stderr's lines close in time.
    if (output.encodedBytes >= FLUSH_BYTES) this.flush();
    else if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
      this.flushTimer.unref();
    }
    next();
  }

  /** winston ends its transports when the logger is closed: the buffered lines go out before 'finish'. */
  override _final(callback: (error?: Error | null) => void): void {
    closeConsoleSink(this);
    callback();
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.stdout.flush();
    this.stderr.flush();
  }
}
