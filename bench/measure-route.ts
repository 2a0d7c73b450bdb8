/** One route of one running server: a discarded warm-up, then the measured run with the server's CPU use beside it. */
import { writeFile } from 'node:fs/promises';
import type { RunningServer } from './lifecycle/server-process.ts';
import { readCpuSeconds } from './process-stats.ts';
import { buildLuaScript } from './wrk/lua-script.ts';
import { runWrk } from './wrk/run-wrk.ts';
import type { WrkResult } from './wrk/run-wrk.ts';

export interface RouteLoad {
  readonly server: RunningServer;
  readonly path: string;
  readonly cookies: readonly string[];
  readonly scriptFile: string;
  readonly threads: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface RouteFigures {
  readonly result: WrkResult;
  /**
   * The server's CPU time over wall time while measured. Near 100% means the server was the bottleneck, as
   * intended; well below it means wrk, Redis or another tenant of the machine held it back.
   */
  readonly serverCpuPercent: number;
}

export async function measureRoute(load: RouteLoad): Promise<RouteFigures> {
  await writeFile(load.scriptFile, buildLuaScript({ path: load.path, cookies: load.cookies, threads: load.threads }));
  const wrk = {
    url: load.server.baseUrl + load.path,
    scriptFile: load.scriptFile,
    threads: load.threads,
    connections: load.connections,
  };
  await runWrk({ ...wrk, durationSeconds: load.warmupSeconds });
  load.server.clearLog();

  const cpuBefore = readCpuSeconds(load.server.pid);
  const startedAt = performance.now();
  const result = await runWrk({ ...wrk, durationSeconds: load.durationSeconds });
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  const serverCpuPercent = ((readCpuSeconds(load.server.pid) - cpuBefore) / elapsedSeconds) * 100;
  load.server.clearLog();
  return { result, serverCpuPercent };
}
