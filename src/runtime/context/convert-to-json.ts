import { powerShellText } from './powershell-text.ts';

function isPlainContainer(value: object): boolean {
  return !(value instanceof Date) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * Applies ConvertTo-Json's -Depth: containers nested deeper than `depth` are written as their .NET type name,
 * as PowerShell does (with a warning). Returns the input itself when nothing is that deep, which is the
 * common case and then costs no copy.
 */
function limitDepth(value: unknown, level: number, depth: number, truncated: { hit: boolean }): unknown {
  if (typeof value !== 'object' || value === null || !isPlainContainer(value)) return value;
  if (level > depth) {
    truncated.hit = true;
    return powerShellText(value);
  }
  if (value instanceof Map) return limitDepth(Object.fromEntries(value), level, depth, truncated);
  if (value instanceof Set) return limitDepth([...value], level, depth, truncated);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const limited = limitDepth(item, level + 1, depth, truncated);
      if (limited !== item) (copy ??= [...value])[index] = limited;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const limited = limitDepth(item, level + 1, depth, truncated);
    if (limited !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = limited;
  }
  return copy ?? value;
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
  const truncated = { hit: false };
  const limited = limitDepth(value, 0, depth, truncated);
  const json = JSON.stringify(
    limited === undefined ? null : limited,
    (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item === undefined ? null : item),
    compress ? undefined : 2,
  );
  return { json, truncated: truncated.hit };
}
