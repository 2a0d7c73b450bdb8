/** Runs wrk on the load core against one URL and reads the line the script's `done` hook prints. */
import { LOAD_CORE, spawnPinned } from '../lifecycle/pinned-process.ts';
import { RESULT_MARKER, THREAD_DONE_MARKER } from './lua-script.ts';

export interface WrkOptions {
  readonly url: string;
  readonly scriptFile: string;
  readonly threads: number;
  readonly connections: number;
  /** wrk's -d; with a request-limited script, only the upper bound. */
  readonly durationSeconds: number;
}

export interface WrkErrors {
  readonly connect: number;
  readonly read: number;
  readonly write: number;
  /** Responses outside 2xx and 3xx. */
  readonly status: number;
  readonly timeout: number;
}

export interface WrkResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: WrkErrors;
  readonly totalErrors: number;
}

/** wrk stops itself after -d; this only catches a wrk that hangs. */
const OVERRUN_MS = 30_000;
const REQUEST_TIMEOUT = '10s';

export function runWrk(options: WrkOptions): Promise<WrkResult> {
  if (!options.url.startsWith('https://127.0.0.1:')) throw new Error(`The bench only loads 127.0.0.1, not ${options.url}.`);
  const args = [
    '-t', String(options.threads),
    '-c', String(options.connections),
    '-d', `${options.durationSeconds}s`,
    '--timeout', REQUEST_TIMEOUT,
    '-s', options.scriptFile,
    options.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawnPinned(LOAD_CORE, 'wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let interrupted = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // SIGINT is wrk's own way to end a run early, summary and done hook included.
      if (!interrupted && output.split(THREAD_DONE_MARKER).length - 1 >= options.threads) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), options.durationSeconds * 1000 + OVERRUN_MS);
    child.once('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(watchdog);
      const line = output.split('\n').find((candidate) => candidate.startsWith(`${RESULT_MARKER} `));
      if (code !== 0 || line === undefined) {
        reject(new Error(`wrk ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${output}`));
        return;
      }
      resolve(parseResult(line.slice(RESULT_MARKER.length + 1)));
    });
  });
}

interface RawResult extends WrkErrors {
  readonly requests: number;
  readonly duration_us: number;
  readonly p50_us: number;
  readonly p99_us: number;
}

function parseResult(json: string): WrkResult {
  const raw = JSON.parse(json) as RawResult;
  const errors: WrkErrors = { connect: raw.connect, read: raw.read, write: raw.write, status: raw.status, timeout: raw.timeout };
  return {
    requests: raw.requests,
    requestsPerSecond: raw.requests / (raw.duration_us / 1e6),
    p50Ms: raw.p50_us / 1000,
    p99Ms: raw.p99_us / 1000,
    errors,
    totalErrors: errors.connect + errors.read + errors.write + errors.status + errors.timeout,
  };
}
