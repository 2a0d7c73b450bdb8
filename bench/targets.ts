/** The servers a run can measure, in the order they run, and the routes each one is measured on. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROUTES = {
  hello: '/hello',
  counter: '/session/counter',
  get: '/session/get?key=color',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

export const TARGET_IDS = ['hono', 'kestrun', 'kestrun-baseline', 'kestrun-cluster', 'express', 'fastify'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export interface ServerTarget {
  readonly id: TargetId;
  readonly label: string;
  /** Relative to the repository root (or absolute), run with `node --import tsx`. */
  readonly entry: string;
  readonly args: (redis: RedisAddresses, port: number) => readonly string[];
  /** True for a target that runs on the private Redis Cluster, which the run then starts. */
  readonly cluster?: boolean;
  /** False for the ceiling server, which has no session routes to check or seed. */
  readonly sessions: boolean;
  readonly routes: readonly Route[];
}

/** Where the run's Redis servers are: the single Redis, and the Cluster when a target needs one. */
export interface RedisAddresses {
  readonly redisUrl: string;
  /** A configuration string naming one node of the Cluster. */
  readonly clusterConfiguration?: string | undefined;
}

/** Every route, in the order a server is measured on them; the servers with sessions serve them all. */
export const ROUTE_ORDER: readonly Route[] = [ROUTES.hello, ROUTES.counter, ROUTES.get];
/** Peers take their port from BENCH_PORT, which the server launcher sets for every server. */
const NO_ARGS = (): readonly string[] => [];
const KESTRUN_ARGS = ({ redisUrl }: RedisAddresses, port: number): readonly string[] => ['--port', String(port), '--upstash-url', redisUrl];
/** The tutorial script kestrun-ts is measured with, in this checkout and in a baseline's. */
export const KESTRUN_SCRIPT = 'scripts/19.2-sessions-redis.ts';

export const TARGETS: readonly ServerTarget[] = [
  { id: 'hono', label: 'bare Hono', entry: 'bench/servers/hono.ts', args: NO_ARGS, sessions: false, routes: [ROUTES.hello] },
  {
    id: 'kestrun',
    label: 'kestrun-ts',
    entry: KESTRUN_SCRIPT,
    args: KESTRUN_ARGS,
    sessions: true,
    routes: ROUTE_ORDER,
  },
  {
    id: 'kestrun-cluster',
    label: 'kestrun-ts, Redis Cluster',
    entry: KESTRUN_SCRIPT,
    args: ({ clusterConfiguration }, port) => {
      if (clusterConfiguration === undefined) throw new Error('kestrun-cluster needs the private Redis Cluster, which was not started.');
      return ['--port', String(port), '--configuration', clusterConfiguration];
    },
    cluster: true,
    sessions: true,
    routes: ROUTE_ORDER,
  },
  { id: 'express', label: 'express-session', entry: 'bench/servers/express.ts', args: NO_ARGS, sessions: true, routes: ROUTE_ORDER },
  { id: 'fastify', label: '@fastify/session', entry: 'bench/servers/fastify.ts', args: NO_ARGS, sessions: true, routes: ROUTE_ORDER },
];

/**
 * kestrun-ts as another checkout of this repository has it (`--baseline <checkout>`, with its own `npm ci` done):
 * the code before a change, measured in the same run as the code after it, since only ratios from one run compare.
 */
export function baselineTarget(checkout: string): ServerTarget {
  const root = resolve(checkout);
  return {
    id: 'kestrun-baseline',
    label: `kestrun-ts baseline (${describeCheckout(root)})`,
    entry: resolve(root, KESTRUN_SCRIPT),
    args: KESTRUN_ARGS,
    sessions: true,
    routes: ROUTE_ORDER,
  };
}

function describeCheckout(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return root;
  }
}

/** Every server this run can start: the fixed ones, and the baseline when `--baseline` names a checkout. */
export function availableTargets(baseline: string | undefined): readonly ServerTarget[] {
  if (baseline === undefined) return TARGETS;
  const at = TARGETS.findIndex((target) => target.id === 'kestrun') + 1;
  return [...TARGETS.slice(0, at), baselineTarget(baseline), ...TARGETS.slice(at)];
}

export function targetById(id: TargetId, targets: readonly ServerTarget[] = TARGETS): ServerTarget {
  const target = targets.find((candidate) => candidate.id === id);
  if (target === undefined) {
    throw new Error(id === 'kestrun-baseline' ? 'kestrun-baseline needs --baseline <checkout>.' : `Unknown server ${id}.`);
  }
  return target;
}
