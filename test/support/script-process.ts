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
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts a tutorial script the way Kestrun's tutorial tests do, on a free port (`--port 0`), and waits for
 * its `Now listening on:` line: the readiness signal, so no test sleeps.
 */
export function startScript(script: string, options: StartOptions = {}): Promise<ScriptProcess> {
  const entry = options.entry ?? [`scripts/${script}`];
  const child = spawn(process.execPath, ['--import', 'tsx', ...entry, '--port', '0', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
          reject(new Error(`${script} never printed ${pattern}. Output:\n${output}`));
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
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exitCode(child);
    },
  });
  return new Promise<ScriptProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not report 'Now listening on:' in time. Output:\n${output}`));
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
      reject(new ScriptExitedError(script, code, output));
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
