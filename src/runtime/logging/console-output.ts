/** Lines are encoded this many at a time (see PendingOutput). */
const LINES_PER_ENCODING = 32;
/** UTF-8 takes at most 3 bytes for each UTF-16 code unit. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Lines waiting for one stream. They are appended as strings and turned into UTF-8 bytes a few dozen at a time,
 * while their pieces are still in the CPU cache: gathering a whole batch from scattered strings at flush time cost
 * more than the write itself, and encoding each line alone would cost a native call per line.
 */
export class PendingOutput {
  private bytes: Buffer;
  private length = 0;
  private recent = '';
  private recentLines = 0;

  /** The stream is looked up at every write, so that whoever replaces process.stdout.write sees the output. */
  constructor(
    private readonly stream: () => NodeJS.WritableStream,
    private readonly capacity: number,
  ) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** What is already encoded; lines appended since are not counted yet. */
  get encodedBytes(): number {
    return this.length;
  }

  append(line: string): void {
    this.recent += line;
    if (++this.recentLines === LINES_PER_ENCODING) this.encodeRecent();
  }

  flush(): void {
    this.encodeRecent();
    this.writeBytes();
  }

  private encodeRecent(): void {
    const recent = this.recent;
    if (recent === '') return;
    this.recent = '';
    this.recentLines = 0;
    if (recent.length * MAX_UTF8_BYTES_PER_UNIT > this.bytes.length - this.length) {
      this.writeBytes();
      // Lines too long for any batch (a long stack trace) go out on their own, after everything logged before them.
      if (recent.length * MAX_UTF8_BYTES_PER_UNIT > this.bytes.length) {
        this.stream().write(recent);
        return;
      }
    }
    this.length += this.bytes.write(recent, this.length);
  }

  private writeBytes(): void {
    if (this.length === 0) return;
    const filled = this.bytes.subarray(0, this.length);
    // A stream may still hold the chunk after write() returns (a busy pipe), so the next lines go to a new buffer.
    this.bytes = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    this.stream().write(filled);
  }
}

/** A console sink as the console sees it: something holding lines that must go out before anything else. */
export interface BufferedConsoleSink {
  flush(): void;
}

const openSinks = new Set<BufferedConsoleSink>();

/** Writes every open console sink's buffered lines now. */
export function flushConsoleSinks(): void {
  for (const sink of openSinks) sink.flush();
}

/**
 * Counts a console sink as open. The first one installs the process 'exit' handler that writes, synchronously,
 * whatever is still buffered when the process exits (process.exit() included); the last one to close removes it.
 */
export function openConsoleSink(sink: BufferedConsoleSink): void {
  if (openSinks.size === 0) process.on('exit', flushConsoleSinks);
  openSinks.add(sink);
}

/** Flushes a console sink one last time and forgets it. */
export function closeConsoleSink(sink: BufferedConsoleSink): void {
  sink.flush();
  if (openSinks.delete(sink) && openSinks.size === 0) process.off('exit', flushConsoleSinks);
}

/**
 * Writes straight to stdout, as Kestrun's Write-Host banners do, after the lines the console sinks still hold: a
 * banner printed after a log call must not show up before that call's line.
 */
export function writeConsole(text: string): void {
  flushConsoleSinks();
  process.stdout.write(text);
}
