/** Serilog's levels, least severe first. */
export const LOG_LEVELS = ['Verbose', 'Debug', 'Information', 'Warning', 'Error', 'Fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * winston orders levels by number, most severe first, and its own `verbose` sits above `debug`.
 * Serilog's order is the reverse of that, so these levels replace winston's npm levels entirely.
 */
export const WINSTON_LEVELS: Readonly<Record<LogLevel, number>> = Object.freeze({
  Fatal: 0,
  Error: 1,
  Warning: 2,
  Information: 3,
  Debug: 4,
  Verbose: 5,
});

export const LEVEL_CODES: Readonly<Record<LogLevel, string>> = Object.freeze({
  Verbose: 'VRB',
  Debug: 'DBG',
  Information: 'INF',
  Warning: 'WRN',
  Error: 'ERR',
  Fatal: 'FTL',
});

export function isLevelEnabled(minimum: LogLevel, level: LogLevel): boolean {
  return WINSTON_LEVELS[level] <= WINSTON_LEVELS[minimum];
}
