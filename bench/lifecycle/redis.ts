/**
 * The run's Redis: REDIS_URL when given, otherwise a private redis-server on core 1 that persists nothing and is
 * stopped at the end, so sessions from one run never leak into another.
 */
import { LOAD_CORE, hasExited, spawnPinned, stopProcess } from './pinned-process.ts';
import { freePort } from '../../test/support/free-port.ts';
import { waitFor } from './wait-for.ts';

export interface BenchRedis {
  readonly url: string;
  readonly description: string;
  stop(): Promise<void>;
}

const READY_LINE = 'Ready to accept connections';
const STARTUP_TIMEOUT_MS = 10_000;

export async function startRedis(): Promise<BenchRedis> {
  const external = process.env['REDIS_URL'];
  if (external !== undefined && external !== '') {
    return { url: external, description: 'REDIS_URL (not started by the bench)', stop: () => Promise.resolve() };
  }
  const port = await freePort();
  const stop = await startRedisServer(['--port', String(port)]);
  return { url: `redis://127.0.0.1:${port}`, description: `private redis-server on 127.0.0.1:${port}, core ${LOAD_CORE}`, stop };
}

/** A redis-server on the load core with `args` (its port among them), persisting nothing; resolves with its stop. */
export async function startRedisServer(args: readonly string[]): Promise<() => Promise<void>> {
  const child = spawnPinned(LOAD_CORE, 'redis-server', ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitFor(() => output.includes(READY_LINE), () => hasExited(child), STARTUP_TIMEOUT_MS);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`redis-server did not start: ${String(error)}\n${output}`);
  }
  child.stdout?.off('data', collect);
  child.stderr?.off('data', collect);
  // Still drained, or redis would block on a full pipe if it ever logged enough.
  child.stdout?.resume();
  child.stderr?.resume();
  return () => stopProcess(child);
}
