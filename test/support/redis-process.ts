/**
 * Starting and stopping redis-server processes for the private Redis, Sentinel and Cluster test fixtures. Readiness
 * is a line the server logs, never a sleep. Processes still running when the test process exits are killed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A running redis-server whose log lines can be waited for. */
export interface RedisProcess {
  readonly child: ChildProcess;
  /** Everything logged so far. */
  readonly output: () => string;
  /** Resolves when the log (so far or later) matches, rejects after timeoutMs or when the process exits. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Spawns redis-server with `args` and resolves once it logs `ready`; rejects with its output if it exits first. */
export async function launchRedis(args: readonly string[], ready: RegExp): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const onOutput = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.once('exit', () => {
    running.delete(child);
    for (const listener of listeners) listener();
  });
  const waitFor = (pattern: RegExp, timeoutMs = STARTUP_TIMEOUT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle = (): void => {
        listeners.delete(check);
        clearTimeout(timer);
      };
      const check = (): void => {
        if (pattern.test(output)) {
          settle();
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          settle();
          reject(new Error(`redis-server exited before it logged ${pattern} (code ${child.exitCode}, signal ${child.signalCode}).\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`redis-server did not log ${pattern} within ${timeoutMs} ms.\n${output}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  child.once('error', (error) => {
    output += `\ncould not be started (${error.message})`;
  });
  try {
    await waitFor(ready);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, output: () => output, waitFor };
}

/** Sends `signal` (SIGKILL after 5 s) and resolves once the process has exited. */
export function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalation = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(escalation);
      resolve();
    });
    child.kill(signal);
  });
}
