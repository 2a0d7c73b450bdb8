import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /Now listening on: (https?:\/\/\S+)/;

export interface ScriptProcess {
  /** The first URL the script listens on, e.g. https://127.0.0.1:41234. */
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once the output matches: log lines reach it in batches, a few milliseconds after they are logged. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code when the process exits on its own. */
  exited(): Promise<number | null>;
}

export interface StartOptions {
  /** What node runs after `--import tsx`; `scripts/<script>` by default (the converter's tests run its CLI). */
  readonly entry?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Runs the command in a process group of its own and signals the whole group: `npx tsx` does not pass SIGTERM on. */
  readonly group?: boolean;
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** In group mode, waits until every process of the group has let go of the output pipes. */
function finished(child: ChildProcess, group: boolean): Promise<number | null> {
  if (!group) return exitCode(child);
  if (child.stdout?.closed === true && child.stderr?.closed === true) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

function signal(child: ChildProcess, name: NodeJS.Signals, group: boolean): void {
  if (!group || child.pid === undefined) {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return;
  }
  try {
    process.kill(-child.pid, name);
  } catch {
    // ESRCH: every process of the group has exited already.
  }
}

/**
 * Starts a tutorial script the way Kestrun's tutorial tests do, on a free port (`--port 0`), and waits for
 * its `Now listening on:` line: the readiness signal, so no test sleeps.
 */
export function startScript(script: string, options: StartOptions = {}): Promise<ScriptProcess> {
  const entry = options.entry ?? [`scripts/${script}`];
  const args = ['--import', 'tsx', ...entry, '--port', '0', ...(options.args ?? [])];
  return startProcess(script, process.execPath, args, { ...options, cwd: ROOT });
}

/** Starts any command that prints `Now listening on:` when it is ready (a packed consumer, for one). */
export function startProcess(
  label: string,
  command: string,
  args: readonly string[],
  options: StartOptions & { readonly cwd: string },
): Promise<ScriptProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group === true,
  });
  const group = options.group === true;
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const handle = (url: string): ScriptProcess => ({
    url,
    child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        const timer = setTimeout(() => {
          child.stdout?.off('data', check);
          reject(new Error(`${label} never printed ${pattern}. Output:\n${output}`));
        }, timeoutMs);
        const check = (): void => {
          if (!pattern.test(output)) return;
          clearTimeout(timer);
          child.stdout?.off('data', check);
          resolve();
        };
        child.stdout?.on('data', check);
      }),
    exited: () => exitCode(child),
    stop: async () => {
      signal(child, 'SIGTERM', group);
      return finished(child, group);
    },
  });
  return new Promise<ScriptProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal(child, 'SIGKILL', group);
      reject(new Error(`${label} did not report 'Now listening on:' in time. Output:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (): void => {
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(handle(match[1] as string));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ScriptExitedError(label, code, output));
    });
  });
}

export class ScriptExitedError extends Error {
  constructor(
    readonly script: string,
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`${script} exited with code ${code} before it was ready. Output:\n${output}`);
  }
}
