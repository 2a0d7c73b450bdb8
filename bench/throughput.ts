/**
 * The throughput mode: each selected server checked, given its sessions, then measured route by route. By default
 * the servers run one after another in each pass; with --interleave all of them run from the start and take turns
 * route by route, so that a busy spell of the machine falls on all of them alike. A server that fails anything gets
 * no figure from then on, and the reason is kept for the report.
 */
import { join } from 'node:path';
import { findMisbehaviour } from './client/correctness.ts';
import { createSeededSessions, seedSessions } from './client/sessions.ts';
import type { BenchEnvironment } from './lifecycle/bench-environment.ts';
import { startServer } from './lifecycle/server-process.ts';
import type { RunningServer } from './lifecycle/server-process.ts';
import { measureRoute } from './measure-route.ts';
import type { RouteFigures } from './measure-route.ts';
import type { BenchOptions } from './options.ts';
import { ROUTE_ORDER, ROUTES } from './targets.ts';
import type { Route, ServerTarget, TargetId } from './targets.ts';

export interface Measurement {
  readonly target: ServerTarget;
  readonly route: Route;
  /** 1-based; with --interleave, measurements of one pass were taken close together in time. */
  readonly pass: number;
  readonly figures: RouteFigures;
}

export interface ThroughputRun {
  readonly measurements: readonly Measurement[];
  readonly failures: ReadonlyMap<TargetId, string>;
}

/** A started server that passed the correctness check, with the sessions wrk rotates through. */
interface ReadyServer {
  readonly target: ServerTarget;
  readonly server: RunningServer;
  sessions: readonly string[];
}

export function runThroughput(options: BenchOptions, targets: readonly ServerTarget[], environment: BenchEnvironment): Promise<ThroughputRun> {
  return options.interleave ? runInterleaved(options, targets, environment) : runInTurn(options, targets, environment);
}

async function runInTurn(options: BenchOptions, targets: readonly ServerTarget[], environment: BenchEnvironment): Promise<ThroughputRun> {
  const measurements: Measurement[] = [];
  const failures = new Map<TargetId, string>();
  for (let pass = 1; pass <= options.passes; pass++) {
    for (const target of targets) {
      if (failures.has(target.id)) continue;
      console.log(`[pass ${pass}/${options.passes}] ${target.label}`);
      await attempt(target, failures, async () => {
        const ready = await prepareServer(target, options, environment);
        try {
          for (const route of target.routes) measurements.push(await measure(ready, route, pass, options, environment));
        } finally {
          await ready.server.stop();
        }
      });
    }
  }
  return { measurements, failures };
}

async function runInterleaved(options: BenchOptions, targets: readonly ServerTarget[], environment: BenchEnvironment): Promise<ThroughputRun> {
  const measurements: Measurement[] = [];
  const failures = new Map<TargetId, string>();
  const servers: ReadyServer[] = [];
  try {
    for (const target of targets) {
      console.log(`[start] ${target.label}`);
      await attempt(target, failures, async () => {
        servers.push(await prepareServer(target, options, environment));
      });
    }
    for (let pass = 1; pass <= options.passes; pass++) {
      // Reversed every other pass, so that no server always follows the same one.
      const order = pass % 2 === 1 ? servers : [...servers].reverse();
      for (const route of ROUTE_ORDER) {
        for (const ready of order) {
          if (!ready.target.routes.includes(route) || failures.has(ready.target.id)) continue;
          console.log(`[pass ${pass}/${options.passes}] ${ready.target.label}`);
          await attempt(ready.target, failures, async () => {
            if (route !== ROUTES.hello) ready.sessions = await seedSessions(ready.server.baseUrl, ready.sessions);
            measurements.push(await measure(ready, route, pass, options, environment));
          });
        }
      }
    }
  } finally {
    await Promise.all(servers.map((ready) => ready.server.stop()));
  }
  return { measurements, failures };
}

async function attempt(target: ServerTarget, failures: Map<TargetId, string>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    failures.set(target.id, reason);
    console.log(`  no figure for ${target.label}: ${reason}`);
  }
}

async function prepareServer(target: ServerTarget, options: BenchOptions, environment: BenchEnvironment): Promise<ReadyServer> {
  const server = await startServer(target, environment);
  try {
    const misbehaviour = await findMisbehaviour(target, server.baseUrl);
    if (misbehaviour !== undefined) throw new Error(`correctness check failed: ${misbehaviour}`);
    const sessions = target.sessions ? await createSeededSessions(server.baseUrl, options.connections) : [];
    return { target, server, sessions };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function measure(ready: ReadyServer, route: Route, pass: number, options: BenchOptions, environment: BenchEnvironment): Promise<Measurement> {
  const { target, server, sessions } = ready;
  const figures = await measureRoute({
    server,
    path: route,
    // /hello is each server's floor, as for bare Hono: no session to load.
    cookies: route === ROUTES.hello ? [] : sessions,
    scriptFile: join(environment.scratchDirectory, `${target.id}-route-${ROUTE_ORDER.indexOf(route)}.lua`),
    threads: options.threads,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
  });
  const { result } = figures;
  console.log(
    `  ${route}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
      `p99 ${result.p99Ms.toFixed(2)} ms, ${result.totalErrors} errors, server CPU ${Math.round(figures.serverCpuPercent)}%`,
  );
  return { target, route, pass, figures };
}
