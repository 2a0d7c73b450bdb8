import { performance } from 'node:perf_hooks';
import type { KrLogger } from '../logging/kr-logger.ts';

/** The one Debug line every request gets: method, path, status and how long the server took, in milliseconds. */
export function logRequest(logger: KrLogger, method: string, path: string, status: number, started: number): void {
  if (!logger.isEnabled('Debug')) return;
  logger.debug(`HTTP ${method} ${path} responded ${status} in ${(performance.now() - started).toFixed(3)} ms`);
}
