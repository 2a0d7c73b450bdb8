/**
 * Starts one server under test on the server core. Its output goes to a file, never a pipe: kestrun-ts logs every
 * request at debug level, and an unread pipe would fill and stall it. The file is opened for appending so that
 * truncating it between measurements keeps it small without the server writing past a hole.
 */
import { closeSync, existsSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPOSITORY_ROOT } from '../paths.ts';
import type { RedisAddresses, ServerTarget } from '../targets.ts';
import type { CertificateFiles } from './certificate.ts';
import { freePort } from '../../test/support/free-port.ts';
import { SERVER_CORE, hasExited, spawnPinned, stopProcess } from './pinned-process.ts';
import { waitFor } from './wait-for.ts';

export interface ServerLaunch extends RedisAddresses {
  readonly scratchDirectory: string;
  readonly certificate: CertificateFiles;
}

export interface RunningServer {
  readonly pid: number;
  readonly baseUrl: string;
  clearLog(): void;
  stop(): Promise<void>;
}

/** Generous: the first start transpiles the whole of kestrun-ts through tsx. */
const STARTUP_TIMEOUT_MS = 60_000;
/** Under valgrind Node starts some twenty times slower. */
const WRAPPED_STARTUP_TIMEOUT_MS = 600_000;
const LOG_TAIL_BYTES = 2_000;

/**
 * Starts the server on the server core. `wrapper` is a command line that runs Node itself (valgrind and its flags);
 * it must exec the program it is given, so that the pid is still the server's.
 */
export async function startServer(target: ServerTarget, launch: ServerLaunch, wrapper: readonly string[] = []): Promise<RunningServer> {
  if (!existsSync(resolve(REPOSITORY_ROOT, target.entry))) throw new Error(`${target.entry} does not exist.`);
  const port = await freePort();
  const logFile = join(launch.scratchDirectory, `${target.id}-${port}.log`);
  const output = openSync(logFile, 'a');
  // tsx as a loader rather than through npx: the pid spawned is then the server itself, not a launcher above it.
  const [command = process.execPath, ...args] = [...wrapper, process.execPath, '--import', 'tsx', target.entry, ...target.args(launch, port)];
  const child = spawnPinned(SERVER_CORE, command, args, {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      BENCH_TLS_KEY_FILE: launch.certificate.keyFile,
      BENCH_TLS_CERT_FILE: launch.certificate.certFile,
      BENCH_REDIS_URL: launch.redisUrl,
    },
    stdio: ['ignore', output, output],
  });
  closeSync(output);

  const listening = `Now listening on: https://127.0.0.1:${port}`;
  try {
    await waitFor(() => readFileSync(logFile, 'utf8').includes(listening), () => hasExited(child), wrapper.length === 0 ? STARTUP_TIMEOUT_MS : WRAPPED_STARTUP_TIMEOUT_MS);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${target.label} did not report "${listening}": ${String(error)}\n--- log tail ---\n${readFileSync(logFile, 'utf8').slice(-LOG_TAIL_BYTES)}`);
  }
  if (child.pid === undefined) throw new Error(`${target.label} has no pid.`);
  return {
    pid: child.pid,
    baseUrl: `https://127.0.0.1:${port}`,
    clearLog: () => truncateSync(logFile, 0),
    stop: () => stopProcess(child),
  };
}
