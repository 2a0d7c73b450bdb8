import { performance } from 'node:perf_hooks';
import type { KrLogger } from '../logging/kr-logger.ts';

/** The one Debug line every request gets: method, path, status and how long the server took. */
export function logRequest(logger: KrLogger, method: string, path: string, status: number, started: number): void {
  if (!logger.isEnabled('Debug')) return;
  logger.debug(`HTTP ${method} ${path} responded ${status} in ${formatMilliseconds(performance.now() - started)} ms`);
}

/**
 * Milliseconds with three decimals, as toFixed(3) gives them, from integer arithmetic: toFixed's exact decimal
 * conversion took 84 ns against 34 ns here, on a line written for every request. A microsecond figure that is an
 * exact half may round the other way, which a duration measured to a fraction of a microsecond does not notice.
 */
export function formatMilliseconds(milliseconds: number): string {
  const microseconds = Math.round(milliseconds * 1000);
  const whole = Math.trunc(microseconds / 1000);
  const fraction = microseconds - whole * 1000;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}
