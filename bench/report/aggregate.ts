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
  /** Server CPU time per completed request, in µs: the work a request costs, whatever held the server back. */
  readonly cpuMicrosPerRequest: number;
  readonly passRequestsPerSecond: readonly number[];
}

export function cpuMicrosPerRequest(measurement: Measurement): number {
  return (measurement.figures.serverCpuPercent / 100 / measurement.figures.result.requestsPerSecond) * 1e6;
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
      cpuMicrosPerRequest: median(group.map(cpuMicrosPerRequest)),
      passRequestsPerSecond: results.map((result) => result.requestsPerSecond),
    };
  });
}

export interface RowKey {
  readonly id: TargetId;
  readonly route: Route;
}

/**
 * A figure of one server and route over the same figure of another. In an interleaved run the two were measured
 * close together in every pass, so the ratio is the median of the per-pass ratios; otherwise it is the ratio of the
 * medians. Undefined when either has no figure.
 */
export function figureRatio(
  measurements: readonly Measurement[],
  interleaved: boolean,
  numerator: RowKey,
  denominator: RowKey,
  figure: (measurement: Measurement) => number,
): number | undefined {
  const of = (key: RowKey): Measurement[] => measurements.filter((m) => m.target.id === key.id && m.route === key.route);
  const above = of(numerator);
  const below = of(denominator);
  if (above.length === 0 || below.length === 0) return undefined;
  if (!interleaved) return median(above.map(figure)) / median(below.map(figure));
  const perPass = above.flatMap((top) => {
    const bottom = below.find((candidate) => candidate.pass === top.pass);
    return bottom === undefined ? [] : [figure(top) / figure(bottom)];
  });
  return perPass.length === 0 ? undefined : median(perPass);
}

export function findRow(rows: readonly ResultRow[], id: TargetId, route: Route): ResultRow | undefined {
  return rows.find((row) => row.target.id === id && row.route === route);
}
