import type { BenchEnvironment } from '../lifecycle/bench-environment.ts';
import type { MemoryRun } from '../memory.ts';
import type { BenchOptions } from '../options.ts';
import { ROUTES } from '../targets.ts';
import { formatInteger, markdownTable } from './format.ts';
import { renderHeader } from './header.ts';
import type { MachineDescription } from './machine.ts';

/** The issue's bar: RSS at the end within 10% of RSS after the first 100,000 requests. */
const GROWTH_TOLERANCE = 0.1;

export function renderMemoryReport(run: MemoryRun, options: BenchOptions, machine: MachineDescription, environment: BenchEnvironment): string {
  const first = run.samples[0];
  const last = run.samples.at(-1);
  if (first === undefined || last === undefined) throw new Error('The memory run has no sample.');
  const growth = (last.rssKiB - first.rssKiB) / first.rssKiB;
  const setup =
    `${run.target.label} \`${ROUTES.counter}\`, ${formatInteger(options.requests)} requests over HTTPS keep-alive in wrk runs ` +
    `stopped by request count, wrk -t ${options.threads} -c ${options.connections} on core 1, server on core 0, ` +
    `${options.connections} sessions; RSS is VmRSS of the server process.`;
  const verdict = Math.abs(growth) <= GROWTH_TOLERANCE ? 'within' : 'NOT within';
  return `${[
    renderHeader(`Memory check: ${run.target.label}`, machine, environment, setup),
    '## Result',
    [
      `- RSS after ${formatInteger(first.afterRequests)} requests: ${mebibytes(first.rssKiB)} MiB`,
      `- RSS after ${formatInteger(last.afterRequests)} requests: ${mebibytes(last.rssKiB)} MiB`,
      `- Change: ${(growth * 100).toFixed(1)}%, ${verdict} ${GROWTH_TOLERANCE * 100}% of the first sample`,
      `- Errors (non-2xx/3xx and socket errors): ${run.errors}`,
    ].join('\n'),
    '## Samples',
    markdownTable(
      ['Requests', 'RSS MiB'],
      run.samples.map((sample) => [formatInteger(sample.afterRequests), mebibytes(sample.rssKiB)]),
    ),
  ].join('\n\n')}\n`;
}

function mebibytes(kib: number): string {
  return (kib / 1024).toFixed(1);
}
