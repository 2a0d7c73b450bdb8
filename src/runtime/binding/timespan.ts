import { ConversionFailure, describeValue, jsTypeName } from './conversion-failure.ts';

const MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** .NET TimeSpan.TryParse's invariant forms: `d`, `hh:mm`, `hh:mm:ss`, `d.hh:mm:ss`, each with optional `.fffffff`. */
const DOTNET_TIMESPAN = /^(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?$/;
const DAYS_ONLY = /^(-)?(\d+)$/;
const COMPACT = /^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/i;

function parseDotNetTimeSpan(text: string): number | undefined {
  const daysOnly = DAYS_ONLY.exec(text);
  if (daysOnly) return (daysOnly[1] ? -1 : 1) * Number(daysOnly[2]) * MS.d;
  const match = DOTNET_TIMESPAN.exec(text);
  if (!match) return undefined;
  const [, sign, days, hours, minutes, seconds, fraction] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  const ms =
    Number(days ?? 0) * MS.d +
    Number(hours) * MS.h +
    Number(minutes) * MS.m +
    Number(seconds ?? 0) * MS.s +
    (fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000);
  return sign ? -ms : ms;
}

function parseCompact(text: string): number | undefined {
  const match = COMPACT.exec(text);
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, d, h, m, s, ms] = match;
  return Number(d ?? 0) * MS.d + Number(h ?? 0) * MS.h + Number(m ?? 0) * MS.m + Number(s ?? 0) * MS.s + Number(ms ?? 0);
}

/**
 * Kestrun's ConvertTo-TimeSpan, in milliseconds: a number means seconds, a string is first read as a .NET
 * TimeSpan (so "90" is 90 days and "00:30:00" thirty minutes), then as compact tokens in the fixed order
 * d, h, m, s, ms ("1d2h30m15s250ms").
 */
export function convertToTimeSpanMs(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConversionFailure(`Cannot convert value of type [System.Double] to [TimeSpan].`);
    return value * 1000;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    const ms = parseDotNetTimeSpan(text) ?? parseCompact(text);
    if (ms !== undefined) return ms;
    throw new ConversionFailure(
      `Invalid TimeSpan format: '${describeValue(value)}'. Use a TimeSpan string such as '00:30:00', seconds as a number, or compact tokens such as '1d2h30m15s250ms'.`,
    );
  }
  throw new ConversionFailure(`Cannot convert value of type [${jsTypeName(value)}] to [TimeSpan].`);
}
