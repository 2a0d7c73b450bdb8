/** The servers a run can measure, in the order they run, and the routes each one is measured on. */
export const ROUTES = {
  hello: '/hello',
  counter: '/session/counter',
  get: '/session/get?key=color',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

export const TARGET_IDS = ['hono', 'kestrun', 'kestrun-cluster', 'express', 'fastify'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export interface ServerTarget {
  readonly id: TargetId;
  readonly label: string;
  /** Relative to the repository root, run with `node --import tsx`. */
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

export const TARGETS: readonly ServerTarget[] = [
  { id: 'hono', label: 'bare Hono', entry: 'bench/servers/hono.ts', args: NO_ARGS, sessions: false, routes: [ROUTES.hello] },
  {
    id: 'kestrun',
    label: 'kestrun-ts',
    entry: 'scripts/19.2-sessions-redis.ts',
    args: ({ redisUrl }, port) => ['--port', String(port), '--upstash-url', redisUrl],
    sessions: true,
    routes: ROUTE_ORDER,
  },
  {
    id: 'kestrun-cluster',
    label: 'kestrun-ts, Redis Cluster',
    entry: 'scripts/19.2-sessions-redis.ts',
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

export function targetById(id: TargetId): ServerTarget {
  const target = TARGETS.find((candidate) => candidate.id === id);
  if (target === undefined) throw new Error(`Unknown server ${id}.`);
  return target;
}
