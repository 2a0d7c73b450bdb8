/**
 * The throughput mode: every selected server in turn, checked, given its sessions, then measured route by route.
 * A server that fails anything gets no figure in that pass, and the reason is kept for the report.
 */
import { join } from 'node:path';
import { findMisbehaviour } from './client/correctness.ts';
import { createSeededSessions } from './client/sessions.ts';
import type { BenchEnvironment } from './lifecycle/bench-environment.ts';
import { startServer } from './lifecycle/server-process.ts';
import { measureRoute } from './measure-route.ts';
import type { RouteFigures } from './measure-route.ts';
import type { BenchOptions } from './options.ts';
import { ROUTES } from './targets.ts';
import type { Route, ServerTarget, TargetId } from './targets.ts';

export interface Measurement {
  readonly target: ServerTarget;
  readonly route: Route;
  readonly figures: RouteFigures;
}

export interface ThroughputRun {
  readonly measurements: readonly Measurement[];
  readonly failures: ReadonlyMap<TargetId, string>;
}

export async function runThroughput(
  options: BenchOptions,
  targets: readonly ServerTarget[],
  environment: BenchEnvironment,
): Promise<ThroughputRun> {
  const measurements: Measurement[] = [];
  const failures = new Map<TargetId, string>();
  for (let pass = 1; pass <= options.passes; pass++) {
    for (const target of targets) {
      if (failures.has(target.id)) continue;
      console.log(`[pass ${pass}/${options.passes}] ${target.label}`);
      try {
        measurements.push(...(await measureServer(target, options, environment)));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures.set(target.id, reason);
        console.log(`  no figure for ${target.label}: ${reason}`);
      }
    }
  }
  return { measurements, failures };
}

async function measureServer(target: ServerTarget, options: BenchOptions, environment: BenchEnvironment): Promise<Measurement[]> {
  const server = await startServer(target, environment);
  try {
    const misbehaviour = await findMisbehaviour(target, server.baseUrl);
    if (misbehaviour !== undefined) throw new Error(`correctness check failed: ${misbehaviour}`);
    const sessions = target.sessions ? await createSeededSessions(server.baseUrl, options.connections) : [];
    const measurements: Measurement[] = [];
    for (const [index, route] of target.routes.entries()) {
      const figures = await measureRoute({
        server,
        path: route,
        // /hello is each server's floor, as for bare Hono: no session to load.
        cookies: route === ROUTES.hello ? [] : sessions,
        scriptFile: join(environment.scratchDirectory, `${target.id}-route-${index}.lua`),
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
      measurements.push({ target, route, figures });
    }
    return measurements;
  } finally {
    await server.stop();
  }
}
