import { powerShellText } from './powershell-text.ts';

function isPlainContainer(value: object): boolean {
  return !(value instanceof Date) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * Applies ConvertTo-Json's -Depth: containers nested deeper than `depth` are written as their .NET type name,
 * as PowerShell does (with a warning). Returns the input itself when nothing is that deep, which is the
 * common case and then costs no copy.
 */
function limitDepth(value: unknown, level: number, depth: number, walk: Walk): unknown {
  if (typeof value === 'bigint' || value === undefined) walk.needsReplacer = true;
  if (typeof value !== 'object' || value === null) return value;
  if (!isPlainContainer(value)) {
    // What a toJSON() returns is serialised as it comes, unseen by this walk.
    if (!(value instanceof Date)) walk.needsReplacer = true;
    return value;
  }
  if (level > depth) {
    walk.hit = true;
    return powerShellText(value);
  }
  if (value instanceof Map) return limitDepth(Object.fromEntries(value), level, depth, walk);
  if (value instanceof Set) return limitDepth([...value], level, depth, walk);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const limited = limitDepth(item, level + 1, depth, walk);
      if (limited !== item) (copy ??= [...value])[index] = limited;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const limited = limitDepth(item, level + 1, depth, walk);
    if (limited !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = limited;
  }
  return copy ?? value;
}

/** What the depth walk found: whether it cut anything, and whether JSON.stringify needs the replacer. */
interface Walk {
  hit: boolean;
  needsReplacer: boolean;
}

/** BigInt as a plain number and undefined as null, as ConvertTo-Json writes them. */
function powerShellValue(_key: string, item: unknown): unknown {
  return typeof item === 'bigint' ? Number(item) : item === undefined ? null : item;
}

export interface JsonConversion {
  readonly json: string;
  readonly truncated: boolean;
}

/**
 * PowerShell 7's ConvertTo-Json: null stays null, property names are written as given, two-space indents,
 * no whitespace at all with -Compress, and BigInt values as plain numbers.
 */
export function convertToJson(value: unknown, depth: number, compress: boolean): JsonConversion {
  const walk: Walk = { hit: false, needsReplacer: false };
  const limited = limitDepth(value, 0, depth, walk);
  // A replacer is a call per value; most responses hold no BigInt and no undefined, and need none.
  const json = JSON.stringify(limited === undefined ? null : limited, walk.needsReplacer ? powerShellValue : undefined, compress ? undefined : 2);
  return { json, truncated: walk.hit };
}
