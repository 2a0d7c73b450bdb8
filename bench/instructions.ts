/**
 * The instructions mode: how many instructions the server runs per request of one route (`/hello` unless --route
 * says otherwise), counted by valgrind's callgrind, on its main thread and over all its threads. Timed runs on a
 * shared VM drift by tens of percent between minutes, which hides changes of a few percent; an instruction count does
 * not drift with the machine. It sees neither the kernel nor cache misses, so it compares versions of the code, and
 * the throughput mode says how fast they are.
 *
 * The warm-up is a request count, not a time: after a fixed time a slower machine leaves the JIT colder, and the
 * counts rose by a quarter that way. The main thread's count is the headline: V8's compiler and GC helper threads take
 * a share that depends more on timing (with them, repeats warmed by time differed by 13%). A session route is
 * several times slower under callgrind, so it gets fewer requests: `/hello`'s count would take a quarter of an hour
 * per server.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findMisbehaviour } from './client/correctness.ts';
import { createSeededSessions } from './client/sessions.ts';
import type { BenchEnvironment } from './lifecycle/bench-environment.ts';
import { ensureDebianCommand } from './lifecycle/debian-command.ts';
import { startServer } from './lifecycle/server-process.ts';
import type { BenchOptions } from './options.ts';
import { formatInteger } from './report/format.ts';
import { ROUTES } from './targets.ts';
import type { Route, ServerTarget } from './targets.ts';
import { runWrkForRequests } from './wrk/run-requests.ts';
import type { WrkResult } from './wrk/run-wrk.ts';

export interface RequestCounts {
  readonly warmup: number;
  readonly measured: number;
}

export function requestCounts(route: Route): RequestCounts {
  return route === ROUTES.hello ? { warmup: 150_000, measured: 30_000 } : { warmup: 40_000, measured: 10_000 };
}
/** Upper bounds for wrk: under callgrind a server answers a few hundred requests a second. */
const WARMUP_TIME_LIMIT_SECONDS = 3_600;
const MEASURED_TIME_LIMIT_SECONDS = 1_200;

export interface InstructionCount {
  readonly target: ServerTarget;
  readonly pass: number;
  /** Instructions of the main thread over the measured requests, per request. */
  readonly perRequest: number;
  /** The same with V8's compiler and GC helper threads added, which the server's CPU time includes. */
  readonly perRequestAllThreads: number;
  readonly errors: number;
}

export function ensureValgrind(): string {
  return ensureDebianCommand({ command: 'valgrind', versionArgs: ['--version'], debianPackage: 'valgrind' });
}

export async function runInstructions(
  options: BenchOptions,
  targets: readonly ServerTarget[],
  environment: BenchEnvironment,
): Promise<readonly InstructionCount[]> {
  const counts: InstructionCount[] = [];
  for (let pass = 1; pass <= options.passes; pass++) {
    for (const target of targets) {
      console.log(`[pass ${pass}/${options.passes}] ${target.label} under callgrind`);
      const count = await countInstructions(options, target, environment, pass);
      console.log(`  ${options.route}: ${formatInteger(count.perRequest)} instructions per request, ${count.errors} errors`);
      counts.push(count);
    }
  }
  return counts;
}

async function countInstructions(options: BenchOptions, target: ServerTarget, environment: BenchEnvironment, pass: number): Promise<InstructionCount> {
  const outputFile = join(environment.scratchDirectory, `callgrind-${target.id}-${pass}.out`);
  const server = await startServer(target, environment, [
    'valgrind',
    '--tool=callgrind',
    '--instr-atstart=no',
    '--separate-threads=yes',
    `--callgrind-out-file=${outputFile}`,
  ]);
  try {
    // The same check as the throughput mode's, so that kestrun-ts has served session routes before /hello, as there.
    const misbehaviour = await findMisbehaviour(target, server.baseUrl);
    if (misbehaviour !== undefined) throw new Error(`${target.label} failed its correctness check: ${misbehaviour}`);
    // As in the throughput mode: `/hello` without a cookie, a session route on one session per connection.
    const cookies = options.route === ROUTES.hello ? [] : await createSeededSessions(server.baseUrl, options.connections);
    const counts = requestCounts(options.route);
    const load = (requests: number, timeLimitSeconds: number, name: string): Promise<WrkResult> =>
      loadRoute(options, environment, { baseUrl: server.baseUrl, cookies, requests, timeLimitSeconds, name });
    await load(counts.warmup, WARMUP_TIME_LIMIT_SECONDS, `${target.id}-${pass}-warmup`);
    server.clearLog();
    callgrindControl('--instr=on', server.pid);
    const measured = await load(counts.measured, MEASURED_TIME_LIMIT_SECONDS, `${target.id}-${pass}`);
    callgrindControl('--instr=off', server.pid);
    callgrindControl('--dump', server.pid);
    const { mainThread, allThreads } = countedInstructions(outputFile);
    return {
      target,
      pass,
      perRequest: mainThread / measured.requests,
      perRequestAllThreads: allThreads / measured.requests,
      errors: measured.totalErrors,
    };
  } finally {
    await server.stop();
  }
}

interface RouteLoad {
  readonly baseUrl: string;
  readonly cookies: readonly string[];
  readonly requests: number;
  readonly timeLimitSeconds: number;
  readonly name: string;
}

async function loadRoute(options: BenchOptions, environment: BenchEnvironment, load: RouteLoad): Promise<WrkResult> {
  const result = await runWrkForRequests({
    baseUrl: load.baseUrl,
    path: options.route,
    cookies: load.cookies,
    requests: load.requests,
    threads: options.threads,
    connections: options.connections,
    scriptFile: join(environment.scratchDirectory, `instructions-${load.name}.lua`),
    timeLimitSeconds: load.timeLimitSeconds,
  });
  if (result.requests < load.requests) {
    throw new Error(`Only ${result.requests} of ${load.requests} ${options.route} requests completed within ${load.timeLimitSeconds} s.`);
  }
  return result;
}

function callgrindControl(command: string, pid: number): void {
  const result = spawnSync('callgrind_control', [command, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`callgrind_control ${command} ${pid} failed: ${result.stderr || result.stdout}`);
}

/**
 * The totals of the dump's files, one per thread: callgrind names them `<file>.<dump>-<thread>` with
 * --separate-threads. Thread 1 is Node's main thread, which runs every line of JavaScript a request needs.
 */
function countedInstructions(outputFile: string): { readonly mainThread: number; readonly allThreads: number } {
  const prefix = `${basename(outputFile)}.`;
  let mainThread: number | undefined;
  let allThreads = 0;
  for (const name of readdirSync(dirname(outputFile))) {
    const thread = name.startsWith(prefix) ? /^\d+-(\d+)$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (thread === undefined) continue;
    const totals = /^totals: (\d+)/m.exec(readFileSync(join(dirname(outputFile), name), 'utf8'));
    if (totals === null) throw new Error(`The callgrind dump ${name} has no totals line.`);
    allThreads += Number(totals[1]);
    if (Number(thread) === 1) mainThread = Number(totals[1]);
  }
  if (mainThread === undefined) throw new Error(`No callgrind dump of the main thread next to ${outputFile}.`);
  return { mainThread, allThreads };
}
