/**
 * .NET time units as the ASP.NET Core Redis cache stores them: DateTime ticks (100 ns since 0001-01-01 UTC) for the
 * absolute expiry and TimeSpan ticks for the sliding window. Ticks exceed 2^53, so they stay BigInt.
 */

/** DateTime ticks at 1970-01-01T00:00:00Z. */
export const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;
export const TICKS_PER_MILLISECOND = 10_000n;

export function ticksFromUnixMs(unixMs: number): bigint {
  return UNIX_EPOCH_TICKS + timeSpanTicksFromMs(unixMs);
}

export function unixMsFromTicks(ticks: bigint): number {
  return msFromTimeSpanTicks(ticks - UNIX_EPOCH_TICKS);
}

/** TimeSpan ticks for a duration: 20 minutes (1 200 000 ms) is 12 000 000 000. */
export function timeSpanTicksFromMs(ms: number): bigint {
  if (!Number.isFinite(ms)) throw new RangeError(`A duration must be a finite number of milliseconds, got ${ms}.`);
  const whole = Math.trunc(ms);
  // Splitting keeps sub-millisecond parts exact; ms × 10 000 as a double would lose ticks beyond 2^53.
  return BigInt(whole) * TICKS_PER_MILLISECOND + BigInt(Math.round((ms - whole) * 10_000));
}

/** Milliseconds in a TimeSpan, with the sub-millisecond ticks as the fraction. */
export function msFromTimeSpanTicks(ticks: bigint): number {
  return Number(ticks / TICKS_PER_MILLISECOND) + Number(ticks % TICKS_PER_MILLISECOND) / 10_000;
}

/** Parses the decimal text .NET writes for a long; anything else is not a tick count. */
export function parseTicks(text: string): bigint | undefined {
  return /^-?\d{1,19}$/.test(text) ? BigInt(text) : undefined;
}
