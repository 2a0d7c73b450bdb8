/**
 * The throughput report. Ratios are the figures to read: absolute req/s drift by tens of percent between runs on a
 * shared machine, while ratios taken within one run hold much better.
 */
import type { BenchEnvironment } from '../lifecycle/bench-environment.ts';
import type { BenchOptions } from '../options.ts';
import { ROUTES, targetById } from '../targets.ts';
import type { Route, TargetId } from '../targets.ts';
import type { ThroughputRun } from '../throughput.ts';
import { aggregate, findRow } from './aggregate.ts';
import type { ResultRow } from './aggregate.ts';
import { formatInteger, formatMs, formatRatio, markdownTable } from './format.ts';
import { renderHeader } from './header.ts';
import type { MachineDescription } from './machine.ts';

const PEERS: readonly TargetId[] = ['express', 'fastify'];
const NOT_AVAILABLE = 'n/a';
const SERVER_CPU_NOTE =
  'Server CPU is the server process\'s CPU time over the measured wall time. Near 100% the server was the bottleneck, ' +
  'as intended; well below it, something else (wrk, Redis, another tenant of the machine) held it back and the row is suspect.';

export function renderThroughputReport(
  run: ThroughputRun,
  options: BenchOptions,
  machine: MachineDescription,
  environment: BenchEnvironment,
): string {
  const rows = aggregate(run.measurements);
  const setup =
    `HTTPS keep-alive, wrk -t ${options.threads} -c ${options.connections} pinned to core 1 with Redis, each server ` +
    `pinned to core 0, ${options.connections} sessions, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s ` +
    `measured per route, ${options.passes} pass(es)${options.passes > 1 ? ', medians shown' : ''}.`;
  const sections = [
    renderHeader('kestrun-ts benchmark', machine, environment, setup),
    '## Throughput',
    resultsTable(rows, options.passes),
    SERVER_CPU_NOTE,
    '## kestrun-ts against its peers (req/s ratio on the same route; above 1 means kestrun-ts is faster)',
    peersTable(rows),
    tailLatency(rows),
  ];
  if (run.failures.size > 0) sections.push('## Failures (no figure from the failing pass on)', failureList(run.failures));
  return `${sections.join('\n\n')}\n`;
}

function resultsTable(rows: readonly ResultRow[], passes: number): string {
  const ceiling = findRow(rows, 'hono', ROUTES.hello)?.requestsPerSecond;
  const headers = ['Server', 'Route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'vs bare Hono /hello'];
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
        ceiling === undefined ? NOT_AVAILABLE : formatRatio(row.requestsPerSecond / ceiling),
      ];
      if (passes > 1) cells.push(row.passRequestsPerSecond.map(formatInteger).join(' / '));
      return cells;
    }),
  );
}

function peersTable(rows: readonly ResultRow[]): string {
  const routes: readonly Route[] = [ROUTES.hello, ROUTES.counter, ROUTES.get];
  return markdownTable(
    ['Route', ...PEERS.map((peer) => `kestrun-ts / ${targetById(peer).label}`)],
    routes.map((route) => [`\`${route}\``, ...PEERS.map((peer) => ratioText(rows, route, peer))]),
  );
}

function ratioText(rows: readonly ResultRow[], route: Route, peer: TargetId): string {
  const kestrun = findRow(rows, 'kestrun', route);
  const other = findRow(rows, peer, route);
  return kestrun === undefined || other === undefined ? NOT_AVAILABLE : formatRatio(kestrun.requestsPerSecond / other.requestsPerSecond);
}

function tailLatency(rows: readonly ResultRow[]): string {
  const kestrun = findRow(rows, 'kestrun', ROUTES.counter);
  const express = findRow(rows, 'express', ROUTES.counter);
  if (kestrun === undefined || express === undefined) return `p99 of \`${ROUTES.counter}\`, kestrun-ts against express-session: ${NOT_AVAILABLE}.`;
  return (
    `p99 of \`${ROUTES.counter}\`: kestrun-ts ${formatMs(kestrun.p99Ms)} ms, express-session ${formatMs(express.p99Ms)} ms ` +
    `(ratio ${formatRatio(kestrun.p99Ms / express.p99Ms)}; below 1 means kestrun-ts has the shorter tail).`
  );
}

function failureList(failures: ReadonlyMap<TargetId, string>): string {
  return [...failures].map(([id, reason]) => `- ${targetById(id).label}: ${reason.split('\n')[0] ?? reason}`).join('\n');
}
