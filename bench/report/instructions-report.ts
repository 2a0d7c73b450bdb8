import type { BenchEnvironment } from '../lifecycle/bench-environment.ts';
import { requestCounts } from '../instructions.ts';
import type { InstructionCount } from '../instructions.ts';
import type { BenchOptions } from '../options.ts';
import { formatInteger, formatRatio, markdownTable } from './format.ts';
import { renderHeader } from './header.ts';
import type { MachineDescription } from './machine.ts';
import { median } from './statistics.ts';

export function renderInstructionsReport(
  counts: readonly InstructionCount[],
  options: BenchOptions,
  machine: MachineDescription,
  environment: BenchEnvironment,
  valgrindVersion: string,
): string {
  const perTarget = [...new Set(counts.map((count) => count.target))].map((target) => {
    const own = counts.filter((count) => count.target === target);
    return {
      target,
      own,
      median: median(own.map((count) => count.perRequest)),
      allThreads: median(own.map((count) => count.perRequestAllThreads)),
    };
  });
  const ceiling = perTarget.find(({ target }) => target.id === 'hono');
  // With --baseline, the question is usually what a change costs: each server against the code before it.
  const baseline = perTarget.find(({ target }) => target.id === 'kestrun-baseline');
  const requests = requestCounts(options.route);
  const setup =
    `\`${options.route}\` over HTTPS keep-alive, each server under ${valgrindVersion} callgrind on core 0, wrk -t ${options.threads} ` +
    `-c ${options.connections} on core 1; after the correctness check, ${formatInteger(requests.warmup)} requests uncounted, ` +
    `then ${formatInteger(requests.measured)} counted; ${options.passes} pass(es), a fresh server each.`;
  const rows = perTarget.map(({ target, own, median: value, allThreads }) => [
    target.label,
    formatInteger(value),
    ceiling === undefined ? '' : formatRatio(value / ceiling.median),
    own.map((count) => formatInteger(count.perRequest)).join(' / '),
    formatInteger(allThreads),
    ceiling === undefined ? '' : formatRatio(allThreads / ceiling.allThreads),
    ...(baseline === undefined ? [] : [formatRatio(value / baseline.median)]),
    String(own.reduce((sum, count) => sum + count.errors, 0)),
  ]);
  const headers = ['Server', 'Instructions', 'vs bare Hono', 'per pass', 'all threads', 'vs bare Hono (all threads)'];
  return `${[
    renderHeader('Instructions per request', machine, environment, setup),
    `## Instructions per \`${options.route}\` request (medians over passes)`,
    markdownTable([...headers, ...(baseline === undefined ? [] : ['vs baseline']), 'errors'], rows),
    'The main figure is of the server\'s main thread, which runs all of its JavaScript. "All threads" adds V8\'s compiler ' +
      'and GC helper threads, which the server\'s CPU time includes; how much those threads do depends more on ' +
      'timing, so it spreads more between repeats. Neither sees the kernel or cache misses: use the counts to compare ' +
      'versions of the code, and the throughput mode for speed. Requests still in flight when wrk stops (at most one per ' +
      'connection) are counted but not divided by, about 0.2% of the figure.',
  ].join('\n\n')}\n`;
}
