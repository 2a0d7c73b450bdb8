/**
 * The memory mode: a long run of /session/counter in chunks of wrk runs, each stopped by request count, with the
 * server's RSS read after every chunk. The first sample (after the first chunk) is the baseline: by then the code
 * is compiled, the caches are warm and the heap has grown to its working size, so later growth would be a leak.
 */
import { join } from 'node:path';
import { findMisbehaviour } from './client/correctness.ts';
import { createSeededSessions } from './client/sessions.ts';
import type { BenchEnvironment } from './lifecycle/bench-environment.ts';
import { startServer } from './lifecycle/server-process.ts';
import type { BenchOptions } from './options.ts';
import { readRssKiB } from './process-stats.ts';
import { formatInteger } from './report/format.ts';
import { ROUTES } from './targets.ts';
import type { ServerTarget } from './targets.ts';
import { runWrkForRequests } from './wrk/run-requests.ts';

const CHUNK_REQUESTS = 100_000;
/** An upper bound per chunk, far above what even express needs for 100,000 requests. */
const CHUNK_TIME_LIMIT_SECONDS = 300;

export interface MemorySample {
  readonly afterRequests: number;
  readonly rssKiB: number;
}

export interface MemoryRun {
  readonly target: ServerTarget;
  readonly samples: readonly MemorySample[];
  readonly errors: number;
}

export async function runMemory(options: BenchOptions, target: ServerTarget, environment: BenchEnvironment): Promise<MemoryRun> {
  if (!target.sessions) throw new Error(`--memory loads ${ROUTES.counter}, which ${target.label} does not serve.`);
  const server = await startServer(target, environment);
  try {
    const misbehaviour = await findMisbehaviour(target, server.baseUrl);
    if (misbehaviour !== undefined) throw new Error(`${target.label} failed its correctness check: ${misbehaviour}`);
    const cookies = await createSeededSessions(server.baseUrl, options.connections);
    const samples: MemorySample[] = [];
    let requests = 0;
    let errors = 0;
    for (let chunk = 0; requests < options.requests; chunk++) {
      const chunkRequests = Math.min(CHUNK_REQUESTS, options.requests - requests);
      const result = await runWrkForRequests({
        baseUrl: server.baseUrl,
        path: ROUTES.counter,
        cookies,
        requests: chunkRequests,
        threads: options.threads,
        connections: options.connections,
        scriptFile: join(environment.scratchDirectory, `memory-chunk-${chunk}.lua`),
        timeLimitSeconds: CHUNK_TIME_LIMIT_SECONDS,
      });
      if (result.requests === 0) throw new Error(`A chunk of ${ROUTES.counter} completed no request.`);
      requests += result.requests;
      errors += result.totalErrors;
      // The debug log of a million requests would fill the disk for nothing.
      server.clearLog();
      const sample = { afterRequests: requests, rssKiB: readRssKiB(server.pid) };
      samples.push(sample);
      console.log(`  ${formatInteger(sample.afterRequests)} requests: RSS ${(sample.rssKiB / 1024).toFixed(1)} MiB, ${errors} errors so far`);
    }
    return { target, samples, errors };
  } finally {
    await server.stop();
  }
}
