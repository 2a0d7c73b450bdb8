/** A wrk run stopped by request count rather than by time: the memory and instructions modes count requests. */
import { writeFile } from 'node:fs/promises';
import { buildLuaScript } from './lua-script.ts';
import { runWrk } from './run-wrk.ts';
import type { WrkResult } from './run-wrk.ts';

export interface RequestsLoad {
  readonly baseUrl: string;
  readonly path: string;
  /** `Kr.Session=...` pairs; empty to send no cookie. */
  readonly cookies: readonly string[];
  /** At least this many responses: each thread stops after its share, rounded up. */
  readonly requests: number;
  readonly threads: number;
  readonly connections: number;
  readonly scriptFile: string;
  /** wrk's -d: only an upper bound, for a server that falls far behind. */
  readonly timeLimitSeconds: number;
}

export async function runWrkForRequests(load: RequestsLoad): Promise<WrkResult> {
  const requestsPerThread = Math.ceil(load.requests / load.threads);
  await writeFile(load.scriptFile, buildLuaScript({ path: load.path, cookies: load.cookies, threads: load.threads, requestsPerThread }));
  return runWrk({
    url: load.baseUrl + load.path,
    scriptFile: load.scriptFile,
    threads: load.threads,
    connections: load.connections,
    durationSeconds: load.timeLimitSeconds,
  });
}
