/**
 * Children pinned to one core with taskset. taskset execs the command, so the child's pid is the pid of the program
 * itself, which is what /proc sampling needs.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { killOnExit } from './exit-guard.ts';

/** The machine has two cores: servers get core 0; wrk and Redis share core 1. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const STOP_TIMEOUT_MS = 5_000;

export interface PinnedSpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdio: StdioOptions;
}

export function spawnPinned(core: number, command: string, args: readonly string[], options: PinnedSpawnOptions): ChildProcess {
  const child = spawn('taskset', ['-c', String(core), command, ...args], options);
  killOnExit(child);
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM first so a server can close its Redis connection; SIGKILL if it does not exit in time. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const escalation = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(escalation);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
