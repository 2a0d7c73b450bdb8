/** Folds the passes of each server and route into one row: medians of the figures, the sum of the errors. */
import type { Route, ServerTarget, TargetId } from '../targets.ts';
import type { Measurement } from '../throughput.ts';
import { median } from './statistics.ts';

export interface ResultRow {
  readonly target: ServerTarget;
  readonly route: Route;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Summed over passes: one bad pass must show. */
  readonly errors: number;
  readonly serverCpuPercent: number;
  readonly passRequestsPerSecond: readonly number[];
}

export function aggregate(measurements: readonly Measurement[]): ResultRow[] {
  const groups = new Map<string, Measurement[]>();
  for (const measurement of measurements) {
    const key = `${measurement.target.id} ${measurement.route}`;
    groups.set(key, [...(groups.get(key) ?? []), measurement]);
  }
  return [...groups.values()].map((group) => {
    const results = group.map((measurement) => measurement.figures.result);
    const [first] = group;
    if (first === undefined) throw new Error('An empty group cannot be aggregated.');
    return {
      target: first.target,
      route: first.route,
      requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
      p50Ms: median(results.map((result) => result.p50Ms)),
      p99Ms: median(results.map((result) => result.p99Ms)),
      errors: results.reduce((sum, result) => sum + result.totalErrors, 0),
      serverCpuPercent: median(group.map((measurement) => measurement.figures.serverCpuPercent)),
      passRequestsPerSecond: results.map((result) => result.requestsPerSecond),
    };
  });
}

export function findRow(rows: readonly ResultRow[], id: TargetId, route: Route): ResultRow | undefined {
  return rows.find((row) => row.target.id === id && row.route === route);
}
