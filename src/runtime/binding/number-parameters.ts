/** Parameters bound to a number: [int] as PowerShell casts to it, and a TimeSpan as milliseconds. */
import { ConversionFailure, describeValue } from './conversion-failure.ts';
import { declareParameter } from './parameter.ts';
import type { CommonOptions, Parameter } from './parameter.ts';
import { castToInt32 } from './powershell-cast.ts';
import { convertToTimeSpanMs } from './timespan.ts';

function conversionError(value: unknown, psName: string, typeName: string, detail: string): ConversionFailure {
  return new ConversionFailure(
    `Cannot process argument transformation on parameter '${psName}'. Cannot convert value "${describeValue(value)}" to type "${typeName}". Error: "${detail}"`,
  );
}

/** PowerShell's [int] cast: numeric strings are accepted and fractions round half to even. */
function toInt32(value: unknown, psName: string): number {
  let numeric: number;
  if (typeof value === 'number') numeric = value;
  else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim()))) numeric = Number(value.trim());
  else if (typeof value === 'boolean') numeric = value ? 1 : 0;
  else throw conversionError(value, psName, 'System.Int32', 'Input string was not in a correct format.');
  const result = castToInt32(numeric);
  if (result === undefined) {
    throw conversionError(value, psName, 'System.Int32', 'Value was either too large or too small for an Int32.');
  }
  return result;
}

interface IntOptions<R extends boolean, A extends string> extends CommonOptions<R, A> {
  readonly min?: number;
  readonly max?: number;
}

export function intParameter<const R extends boolean = false, const A extends string = never>(
  options: IntOptions<R, A> = {},
): Parameter<number, number, R, A> {
  const range = options.min === undefined && options.max === undefined ? undefined : { min: options.min, max: options.max };
  return declareParameter(options, { typeName: 'System.Int32', range }, (value, psName) => {
    const result = toInt32(value, psName);
    if (options.max !== undefined && result > options.max) {
      throw new ConversionFailure(
        `Cannot validate argument on parameter '${psName}'. The ${result} argument is greater than the maximum allowed range of ${options.max}.`,
      );
    }
    if (options.min !== undefined && result < options.min) {
      throw new ConversionFailure(
        `Cannot validate argument on parameter '${psName}'. The ${result} argument is less than the minimum allowed range of ${options.min}.`,
      );
    }
    return result;
  });
}

/** A duration in milliseconds, accepted in every form Kestrun's ConvertTo-TimeSpan takes. */
export function timeSpanParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<number, number | string, R, A> {
  return declareParameter(options, { typeName: 'System.TimeSpan' }, (value, psName) => {
    try {
      return convertToTimeSpanMs(value);
    } catch (error) {
      if (error instanceof ConversionFailure) {
        throw new ConversionFailure(`Cannot process argument transformation on parameter '${psName}'. ${error.message}`);
      }
      throw error;
    }
  });
}
