import { castToInt32 } from '../binding/powershell-cast.ts';

/**
 * PowerShell's casts of a query value, as Get-KrRequestQuery applies them: [int] rounds half to even and
 * fails on text, [bool] is true for every non-empty string (even "false"), [double] parses invariantly,
 * and .ToString() on a missing value fails.
 */
export function convertQueryValue(raw: string | undefined, parameterSet: string): string | number | boolean | undefined {
  switch (parameterSet) {
    case 'Int':
      return raw === undefined || raw === '' ? 0 : toInt(raw);
    case 'Double':
      return raw === undefined || raw === '' ? 0 : toDouble(raw);
    case 'Bool':
      return raw !== undefined && raw !== '';
    case 'String':
      if (raw === undefined) throw new Error('You cannot call a method on a null-valued expression.');
      return raw;
    default:
      return raw;
  }
}

function toDouble(raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || Number.isNaN(value)) {
    throw new Error(`Cannot convert value "${raw}" to type "System.Double". Error: "Input string was not in a correct format."`);
  }
  return value;
}

function toInt(raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw.trim());
  if (Number.isNaN(value)) {
    throw new Error(`Cannot convert value "${raw}" to type "System.Int32". Error: "Input string was not in a correct format."`);
  }
  const result = castToInt32(value);
  if (result === undefined) {
    throw new Error(`Cannot convert value "${raw}" to type "System.Int32". Error: "Value was either too large or too small for an Int32."`);
  }
  return result;
}
