/**
 * `npm run bench`: throughput of kestrun-ts against bare Hono, express-session and @fastify/session over HTTPS with
 * Redis sessions; `npm run bench -- --memory`: RSS growth of one server over a long run; `npm run bench --
 * --instructions`: instructions per request of one route under callgrind. See bench/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withBenchEnvironment } from './lifecycle/bench-environment.ts';
import { ensureValgrind, runInstructions } from './instructions.ts';
import { runMemory } from './memory.ts';
import { USAGE, parseOptions } from './options.ts';
import type { BenchOptions } from './options.ts';
import { RESULTS_DIRECTORY } from './paths.ts';
import { describeMachine } from './report/machine.ts';
import { renderInstructionsReport } from './report/instructions-report.ts';
import { renderMemoryReport } from './report/memory-report.ts';
import { renderThroughputReport } from './report/throughput-report.ts';
import { availableTargets, targetById } from './targets.ts';
import type { ServerTarget, TargetId } from './targets.ts';
import { runThroughput } from './throughput.ts';

/** The peers take minutes each under callgrind and are not what a change of kestrun-ts is compared with. */
const INSTRUCTIONS_DEFAULT_TARGETS: readonly TargetId[] = ['hono', 'kestrun'];

async function main(): Promise<void> {
  const options = readOptions();
  if (options === undefined) return;
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const [fileName, report] = options.memory
    ? ['memory-latest.md', await memoryReport(options)]
    : options.instructions
      ? ['instructions-latest.md', await instructionsReport(options)]
      : ['latest.md', await throughputReport(options)];
  console.log(`\n${report}`);
  await mkdir(RESULTS_DIRECTORY, { recursive: true });
  await writeFile(join(RESULTS_DIRECTORY, fileName), report);
  console.log(`Written to bench/results/${fileName}`);
}

/** A mistyped flag deserves the usage, not a stack trace. */
function readOptions(): BenchOptions | 'help' | undefined {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
}

async function throughputReport(options: BenchOptions): Promise<string> {
  const machine = describeMachine();
  const targets = selectTargets(options, options.only);
  return withBenchEnvironment(
    async (environment) => renderThroughputReport(await runThroughput(options, targets, environment), options, machine, environment),
    targets.some((target) => target.cluster === true),
  );
}

async function instructionsReport(options: BenchOptions): Promise<string> {
  const valgrindVersion = ensureValgrind();
  const machine = describeMachine();
  // Bare Hono serves only /hello: a session route is counted on the servers that serve it.
  const targets = selectTargets(options, options.only ?? INSTRUCTIONS_DEFAULT_TARGETS).filter((target) => target.routes.includes(options.route));
  if (targets.length === 0) throw new Error(`None of the servers chosen serves ${options.route}.`);
  return withBenchEnvironment(
    async (environment) =>
      renderInstructionsReport(await runInstructions(options, targets, environment), options, machine, environment, valgrindVersion),
    targets.some((target) => target.cluster === true),
  );
}

/** The servers `ids` names (all when undefined), with the baseline whenever --baseline gave one. */
function selectTargets(options: BenchOptions, ids: readonly TargetId[] | undefined): readonly ServerTarget[] {
  const wanted = (target: ServerTarget): boolean => ids === undefined || ids.includes(target.id) || target.id === 'kestrun-baseline';
  return availableTargets(options.baseline).filter(wanted);
}

async function memoryReport(options: BenchOptions): Promise<string> {
  const [id = 'kestrun', ...others] = options.only ?? [];
  if (others.length > 0) throw new Error('--memory measures one server: give --only a single id.');
  const machine = describeMachine();
  const target = targetById(id, availableTargets(options.baseline));
  return withBenchEnvironment(
    async (environment) => renderMemoryReport(await runMemory(options, target, environment), options, machine, environment),
    target.cluster === true,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
