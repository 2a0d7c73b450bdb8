import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { KrCmdletError, stopKrServer } from '../../src/index.ts';
import { flushConsoleSinks } from '../../src/runtime/logging/kr-logger.ts';
import { CaptureLogger } from './capture-logger.ts';
import type { CapturedEvent } from './capture-logger.ts';

/** One turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export interface CapturedOutput<T> {
  readonly result: T;
  readonly stdout: string;
  readonly stderr: string;
  /** What each stdout.write call wrote, to see the console sink's batching. */
  readonly stdoutChunks: readonly string[];
}

type WriteFunction = typeof process.stdout.write;

function recorder(chunks: string[]): WriteFunction {
  return ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((item): item is () => void => typeof item === 'function');
    callback?.();
    return true;
  }) as WriteFunction;
}

/**
 * Runs `run` with process.stdout and process.stderr captured, then flushes the console sinks so that their
 * batched write lands inside the capture. `run` may look at stdout so far, to check what was
 * written before that turn. The real streams are restored even on failure.
 */
export async function captureOutput<T>(run: (stdoutSoFar: () => string) => T | Promise<T>): Promise<CapturedOutput<T>> {
  const out: string[] = [];
  const err: string[] = [];
  const originalOut = process.stdout.write;
  const originalErr = process.stderr.write;
  process.stdout.write = recorder(out);
  process.stderr.write = recorder(err);
  try {
    const result = await run(() => out.join(''));
    flushConsoleSinks();
    return { result, stdout: out.join(''), stderr: err.join(''), stdoutChunks: out };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
}

/** A CaptureLogger that can also be awaited: the "Now listening on:" line is the signal a server is up. */
export class SignalLogger extends CaptureLogger {
  private readonly waiters: { match: (event: CapturedEvent) => boolean; resolve: (event: CapturedEvent) => void }[] = [];

  override write(level: CapturedEvent['level'], message: string, error?: unknown): void {
    super.write(level, message, error);
    const event = this.events[this.events.length - 1] as CapturedEvent;
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  }

  /** Resolves with the first event (already logged or still to come) that matches. */
  waitFor(match: (event: CapturedEvent) => boolean): Promise<CapturedEvent> {
    const seen = this.events.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<CapturedEvent>((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The URL of the first "Now listening on:" line. */
  async listeningUrl(): Promise<string> {
    const event = await this.waitFor((candidate) => candidate.message.startsWith('Now listening on: '));
    return event.message.slice('Now listening on: '.length);
  }
}

/** The error code of a connection attempt, or 'connected' when something still accepts connections there. */
export function connectOutcome(url: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const request = httpRequest(url, { agent: false, timeout: 5000 }, (response) => {
      response.resume();
      resolve('connected');
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end();
  });
}

/** Asserts that `run` throws a KrCmdletError (or subclass) with exactly this message, and returns it. */
export function expectCmdletError(run: () => unknown, message: string | RegExp): KrCmdletError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the cmdlet to throw').to.be.instanceOf(KrCmdletError);
  const error = caught as KrCmdletError;
  if (typeof message === 'string') expect(error.message).to.equal(message);
  else expect(error.message).to.match(message);
  return error;
}

/** The same for a cmdlet whose failure arrives as a rejected promise. */
export async function expectCmdletRejection(run: () => Promise<unknown>, message: string | RegExp): Promise<KrCmdletError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the cmdlet to reject').to.be.instanceOf(KrCmdletError);
  const error = caught as KrCmdletError;
  if (typeof message === 'string') expect(error.message).to.equal(message);
  else expect(error.message).to.match(message);
  return error;
}

/** A promise plus the function that settles it: a route can await it while the test decides when it ends. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/**
 * Stops and forgets a server if it is still registered. Tests call this in afterEach: a failed start or a
 * forced replacement may already have removed it, and the registry is shared by every test file.
 */
export async function removeServer(name: string): Promise<void> {
  try {
    await stopKrServer({ server: name, quiet: true });
  } catch (error) {
    if (!(error instanceof KrCmdletError) || !error.message.includes('No Kestrun server instance named')) throw error;
  }
}
