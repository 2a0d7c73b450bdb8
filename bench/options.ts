/** Command-line flags of `npm run bench -- ...`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KESTRUN_SCRIPT, ROUTES, TARGET_IDS } from './targets.ts';
import type { Route, TargetId } from './targets.ts';

export interface BenchOptions {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** Also the number of distinct sessions, so that each connection can own one. */
  readonly connections: number;
  readonly threads: number;
  /** Undefined when --only was not given: each mode has its own default set. */
  readonly only: readonly TargetId[] | undefined;
  readonly passes: number;
  /**
   * Start every server first, then let them take turns route by route within each pass, so that all of them share
   * whatever the machine is doing at the time; ratios are then medians of the per-pass ratios.
   */
  readonly interleave: boolean;
  readonly memory: boolean;
  /** Count instructions per request under callgrind (main thread, and all threads) instead of timing. */
  readonly instructions: boolean;
  /** Instructions mode: the route counted. */
  readonly route: Route;
  /** Memory mode: requests in total. */
  readonly requests: number;
  /** Another checkout whose kestrun-ts runs beside this one, as `kestrun-baseline`. */
  readonly baseline: string | undefined;
}

export const USAGE = `Usage: npm run bench -- [flags]
  --duration <s>      measured seconds per route (10)
  --warmup <s>        discarded warm-up seconds per route (3)
  --connections <n>   wrk connections, and distinct sessions (64)
  --threads <n>       wrk threads (1); equal to --connections gives one session per connection
  --only <ids>        subset of ${TARGET_IDS.join(',')}
  --passes <n>        repeat the whole run; medians are reported (1)
  --interleave        start every server first and let them take turns route by route in each pass (order
                      reversed every other pass); ratios become medians of per-pass ratios. Use with --passes 5+
  --memory            memory mode: /session/counter RSS growth (kestrun unless --only names one server)
  --requests <n>      memory mode: total requests (1000000)
  --baseline <dir>    also run kestrun-ts from another checkout of this repository (its npm ci done) as
                      kestrun-baseline, whatever --only says: before and after a change, in one run
  --instructions      instructions mode: instructions per request under callgrind (main thread and all
                      threads), for comparing versions of the code (hono,kestrun unless --only says otherwise)
  --route <name>      instructions mode: the route counted, one of ${Object.keys(ROUTES).join(', ')} (hello); only
                      the servers that serve it are run`;

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '64' },
      threads: { type: 'string', default: '1' },
      only: { type: 'string' },
      passes: { type: 'string', default: '1' },
      interleave: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      instructions: { type: 'boolean', default: false },
      requests: { type: 'string', default: '1000000' },
      baseline: { type: 'string' },
      route: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const options: BenchOptions = {
    durationSeconds: positiveInteger('duration', values.duration),
    warmupSeconds: positiveInteger('warmup', values.warmup),
    connections: positiveInteger('connections', values.connections),
    threads: positiveInteger('threads', values.threads),
    only: values.only === undefined ? undefined : targetIds(values.only),
    passes: positiveInteger('passes', values.passes),
    interleave: values.interleave,
    memory: values.memory,
    instructions: values.instructions,
    route: values.route === undefined ? ROUTES.hello : routeByName(values.route),
    requests: positiveInteger('requests', values.requests),
    baseline: values.baseline === undefined ? undefined : baselineCheckout(values.baseline),
  };
  if (options.interleave && (options.memory || options.instructions)) throw new Error('--interleave is for throughput runs.');
  if (values.route !== undefined && !options.instructions) throw new Error('--route is for the instructions mode (--instructions).');
  if (options.memory && options.instructions) throw new Error('--memory and --instructions are two different modes: choose one.');
  if (options.threads > options.connections) throw new Error('--threads cannot exceed --connections: wrk needs a connection per thread.');
  return options;
}

function baselineCheckout(directory: string): string {
  if (!existsSync(join(directory, KESTRUN_SCRIPT))) throw new Error(`--baseline takes a checkout of kestrun-ts: ${join(directory, KESTRUN_SCRIPT)} does not exist.`);
  if (!existsSync(join(directory, 'node_modules'))) throw new Error(`--baseline: run npm ci in ${directory} first.`);
  return directory;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} takes a positive integer, not "${text}".`);
  return value;
}

function routeByName(name: string): Route {
  const route = Object.entries(ROUTES).find(([known]) => known === name)?.[1];
  if (route === undefined) throw new Error(`--route takes one of ${Object.keys(ROUTES).join(', ')}, not "${name}".`);
  return route;
}

function targetIds(list: string): TargetId[] {
  const ids = list.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const known = ids.filter(isTargetId);
  if (known.length !== ids.length || ids.length === 0) throw new Error(`--only takes some of ${TARGET_IDS.join(',')}, not "${list}".`);
  return known;
}

function isTargetId(id: string): id is TargetId {
  return TARGET_IDS.some((known) => known === id);
}
