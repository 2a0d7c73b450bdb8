/**
 * The throughput report. Ratios are the figures to read: absolute req/s drift by tens of percent between runs on a
 * shared machine, while ratios taken within one run hold much better.
 */
import type { BenchEnvironment } from '../lifecycle/bench-environment.ts';
import type { BenchOptions } from '../options.ts';
import { ROUTE_ORDER, ROUTES, targetById } from '../targets.ts';
import type { TargetId } from '../targets.ts';
import type { Measurement, ThroughputRun } from '../throughput.ts';
import { aggregate, cpuMicrosPerRequest, figureRatio, findRow } from './aggregate.ts';
import type { ResultRow, RowKey } from './aggregate.ts';
import { formatInteger, formatMs, formatRatio, markdownTable } from './format.ts';
import { renderHeader } from './header.ts';
import type { MachineDescription } from './machine.ts';

const PEERS: readonly TargetId[] = ['express', 'fastify'];
const NOT_AVAILABLE = 'n/a';
const SERVER_CPU_NOTE =
  'Server CPU is the server process\'s CPU time over the measured wall time. Near 100% the server was the bottleneck, ' +
  'as intended; well below it, something else (wrk, Redis, another tenant of the machine) held it back and the row is suspect. ' +
  'CPU µs/req is that CPU time per completed request: the work one request costs the server.';

export function renderThroughputReport(
  run: ThroughputRun,
  options: BenchOptions,
  machine: MachineDescription,
  environment: BenchEnvironment,
): string {
  const rows = aggregate(run.measurements);
  const ratio = (numerator: RowKey, denominator: RowKey, figure: (measurement: Measurement) => number): number | undefined =>
    figureRatio(run.measurements, options.interleave, numerator, denominator, figure);
  const setup =
    `HTTPS keep-alive, wrk -t ${options.threads} -c ${options.connections} pinned to core 1 with Redis, each server ` +
    `pinned to core 0, ${options.connections} sessions, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s ` +
    `measured per route, ${options.passes} pass(es)${options.passes > 1 ? ', medians shown' : ''}` +
    (options.interleave ? '; interleaved: all servers up from the start, taking turns route by route, ratios are medians of per-pass ratios.' : '.');
  const sections = [
    renderHeader('kestrun-ts benchmark', machine, environment, setup),
    '## Throughput',
    resultsTable(rows, options.passes, ratio),
    SERVER_CPU_NOTE,
    '## kestrun-ts against its peers (req/s ratio on the same route; above 1 means kestrun-ts is faster)',
    peersTable(ratio, requestRate, 'kestrun'),
    '## Server CPU per request against the peers (kestrun-ts over the peer on the same route; below 1 means kestrun-ts does less work per request)',
    peersTable(ratio, cpuMicrosPerRequest, 'kestrun'),
    tailLatency(rows, ratio),
  ];
  const baseline = rows.find((row) => row.target.id === 'kestrun-baseline')?.target;
  if (baseline !== undefined) {
    sections.push(
      `## This checkout against ${baseline.label} (req/s ratio on the same route; above 1 means this checkout is faster)`,
      baselineTable(ratio),
      `## ${baseline.label} against the peers (req/s ratio on the same route)`,
      peersTable(ratio, requestRate, 'kestrun-baseline'),
    );
  }
  if (rows.some((row) => row.target.id === 'kestrun-cluster')) {
    sections.push(
      '## kestrun-ts on a 3-primary Redis Cluster against a single Redis (req/s ratio on the same route; the target is 0.9 or more on the counter)',
      clusterTable(ratio),
    );
  }
  if (run.failures.size > 0) sections.push('## Failures (no figure from the failing pass on)', failureList(run.failures));
  return `${sections.join('\n\n')}\n`;
}

type Ratio = (numerator: RowKey, denominator: RowKey, figure: (measurement: Measurement) => number) => number | undefined;

const requestRate = (measurement: Measurement): number => measurement.figures.result.requestsPerSecond;
const tailMs = (measurement: Measurement): number => measurement.figures.result.p99Ms;
const CEILING: RowKey = { id: 'hono', route: ROUTES.hello };

function resultsTable(rows: readonly ResultRow[], passes: number, ratio: Ratio): string {
  const headers = ['Server', 'Route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'CPU µs/req', 'vs bare Hono /hello'];
  if (passes > 1) headers.push('req/s per pass');
  return markdownTable(
    headers,
    rows.map((row) => {
      const cells = [
        row.target.label,
        `\`${row.route}\``,
        formatInteger(row.requestsPerSecond),
        formatMs(row.p50Ms),
        formatMs(row.p99Ms),
        String(row.errors),
        `${Math.round(row.serverCpuPercent)}%`,
        row.cpuMicrosPerRequest.toFixed(1),
        ratioCell(ratio({ id: row.target.id, route: row.route }, CEILING, requestRate)),
      ];
      if (passes > 1) cells.push(row.passRequestsPerSecond.map(formatInteger).join(' / '));
      return cells;
    }),
  );
}

function ratioCell(value: number | undefined): string {
  return value === undefined ? NOT_AVAILABLE : formatRatio(value);
}

function peersTable(ratio: Ratio, figure: (measurement: Measurement) => number, id: TargetId): string {
  return markdownTable(
    ['Route', ...PEERS.map((peer) => `kestrun-ts / ${targetById(peer).label}`)],
    ROUTE_ORDER.map((route) => [`\`${route}\``, ...PEERS.map((peer) => ratioCell(ratio({ id, route }, { id: peer, route }, figure)))]),
  );
}

function baselineTable(ratio: Ratio): string {
  return markdownTable(
    ['Route', 'req/s, this checkout / baseline', 'CPU µs/req, this checkout / baseline'],
    ROUTE_ORDER.map((route) => {
      const pair = (figure: (measurement: Measurement) => number): string =>
        ratioCell(ratio({ id: 'kestrun', route }, { id: 'kestrun-baseline', route }, figure));
      return [`\`${route}\``, pair(requestRate), pair(cpuMicrosPerRequest)];
    }),
  );
}

function clusterTable(ratio: Ratio): string {
  return markdownTable(
    ['Route', 'Redis Cluster / single Redis'],
    ROUTE_ORDER.map((route) => [`\`${route}\``, ratioCell(ratio({ id: 'kestrun-cluster', route }, { id: 'kestrun', route }, requestRate))]),
  );
}

function tailLatency(rows: readonly ResultRow[], ratio: Ratio): string {
  const kestrun = findRow(rows, 'kestrun', ROUTES.counter);
  const express = findRow(rows, 'express', ROUTES.counter);
  const tailRatio = ratio({ id: 'kestrun', route: ROUTES.counter }, { id: 'express', route: ROUTES.counter }, tailMs);
  if (kestrun === undefined || express === undefined || tailRatio === undefined) {
    return `p99 of \`${ROUTES.counter}\`, kestrun-ts against express-session: ${NOT_AVAILABLE}.`;
  }
  return (
    `p99 of \`${ROUTES.counter}\`: kestrun-ts ${formatMs(kestrun.p99Ms)} ms, express-session ${formatMs(express.p99Ms)} ms ` +
    `(ratio ${formatRatio(tailRatio)}; below 1 means kestrun-ts has the shorter tail).`
  );
}

function failureList(failures: ReadonlyMap<TargetId, string>): string {
  return [...failures].map(([id, reason]) => `- ${id}: ${reason.split('\n')[0] ?? reason}`).join('\n');
}
