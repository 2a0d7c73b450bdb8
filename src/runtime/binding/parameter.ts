import { ConversionFailure, describeValue, jsTypeName } from './conversion-failure.ts';
import { castToInt32 } from './powershell-cast.ts';
import { convertToTimeSpanMs } from './timespan.ts';

/**
 * One declared cmdlet parameter. `T` is the bound value, `I` what a script may pass, `R` whether it is
 * mandatory and `A` its aliases (Kestrun's, such as `pattern` for `path`), so the TypeScript signature of a
 * cmdlet accepts exactly what the PowerShell one does.
 */
export interface Parameter<T, I = T, R extends boolean = boolean, A extends string = string> {
  readonly mandatory: R;
  readonly aliases: readonly A[];
  /** The PowerShell name used in messages, when it is not simply the camelCase key capitalised (`IPAddress`). */
  readonly psName: string | undefined;
  /** The parameter sets it belongs to; undefined means all of them. */
  readonly sets: readonly string[] | undefined;
  /** Mandatory strings reject '' as PowerShell's mandatory binding does, unless this is set. */
  readonly allowEmptyString: boolean;
  /** The .NET type it binds to, as Kestrun declares it ('System.Int32', 'Kestrun.Utilities.HttpVerb[]'). */
  readonly typeName: string;
  /** The only values it accepts: an enum's members or a ValidateSet. */
  readonly accepted: readonly string[] | undefined;
  /** ValidateRange's bounds. */
  readonly range: ParameterRange | undefined;
  /** ValidatePattern's regular expression. */
  readonly pattern: string | undefined;
  /** What the cmdlet does when the parameter is left out, in words; documentation only. */
  readonly defaultValue: string | undefined;
  /** One sentence on the parameter, for the cmdlet reference. */
  readonly description: string | undefined;
  /** PowerShell's Position=N: the converter binds the Nth unnamed argument of a .ps1 call to it. */
  readonly position: number | undefined;
  /** ValueFromPipeline: what a .ps1 pipes into the cmdlet binds here. */
  readonly fromPipeline: boolean;
  /** A [switch]: present means true, and it never takes the next token of a .ps1 call as its value. */
  readonly isSwitch: boolean;
  /** Converts and validates; throws ConversionFailure with the PowerShell wording, without the parameter name. */
  readonly convert: (value: unknown, psName: string) => T;
  /** Phantom member carrying the input type; never set at run time. */
  readonly input?: I;
}

export interface ParameterRange {
  readonly min?: number;
  readonly max?: number;
}

export type AnyParameter = Parameter<unknown, unknown, boolean, string>;

/**
 * Puts a parameter into named parameter sets. A parameter mandatory only within its sets is optional in the
 * TypeScript signature: whether it is missing depends on the set the call resolves to, which the binder checks.
 */
export function inParameterSets<T, I, R extends boolean, A extends string>(
  sets: readonly string[],
  parameter: Parameter<T, I, R, A>,
): Parameter<T, I, false, A> {
  return Object.freeze({ ...parameter, sets: Object.freeze([...sets]) }) as Parameter<T, I, false, A>;
}

interface CommonOptions<R extends boolean, A extends string> {
  readonly mandatory?: R;
  readonly aliases?: readonly A[];
  readonly psName?: string;
  readonly defaultValue?: string;
  readonly description?: string;
  readonly position?: number;
  readonly fromPipeline?: boolean;
}

/** What a parameter factory knows of the values it accepts, kept on the declaration for the reference. */
interface ValueFacts {
  readonly typeName: string;
  readonly accepted?: readonly string[] | undefined;
  readonly range?: ParameterRange | undefined;
  readonly pattern?: RegExp | undefined;
  readonly allowEmptyString?: boolean | undefined;
  readonly isSwitch?: boolean | undefined;
}

function parameter<T, I, R extends boolean, A extends string>(
  options: CommonOptions<R, A>,
  facts: ValueFacts,
  convert: (value: unknown, psName: string) => T,
): Parameter<T, I, R, A> {
  return Object.freeze({
    mandatory: (options.mandatory ?? false) as R,
    aliases: Object.freeze([...(options.aliases ?? [])]),
    psName: options.psName,
    sets: undefined,
    allowEmptyString: facts.allowEmptyString ?? false,
    typeName: facts.typeName,
    accepted: facts.accepted === undefined ? undefined : Object.freeze([...facts.accepted]),
    range: facts.range,
    pattern: facts.pattern?.source,
    defaultValue: options.defaultValue,
    description: options.description,
    position: options.position,
    fromPipeline: options.fromPipeline ?? false,
    isSwitch: facts.isSwitch ?? false,
    convert,
  });
}

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
  return parameter(options, { typeName: 'System.Int32', range }, (value, psName) => {
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

interface StringOptions<R extends boolean, A extends string> extends CommonOptions<R, A> {
  readonly allowEmptyString?: boolean;
  /** ValidatePattern: the regular expression and the text PowerShell shows for it. */
  readonly pattern?: RegExp;
  /** ValidateSet, matched case-insensitively and returned in its declared spelling. */
  readonly validateSet?: readonly string[];
}

export function stringParameter<const R extends boolean = false, const A extends string = never>(
  options: StringOptions<R, A> = {},
): Parameter<string, string, R, A> {
  const facts = {
    typeName: 'System.String',
    accepted: options.validateSet,
    pattern: options.pattern,
    allowEmptyString: options.allowEmptyString,
  };
  return parameter(
    options,
    facts,
    (value, psName) => {
      if (typeof value !== 'string') {
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw new ConversionFailure(
          `Cannot bind parameter '${psName}'. Cannot convert the "${describeValue(value)}" value of type "${jsTypeName(value)}" to type "System.String".`,
        );
      }
      if (options.validateSet !== undefined) {
        const match = options.validateSet.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
        if (match === undefined) {
          throw new ConversionFailure(
            `Cannot validate argument on parameter '${psName}'. The argument "${value}" does not belong to the set "${options.validateSet.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
          );
        }
        return match;
      }
      if (options.pattern !== undefined && !options.pattern.test(value)) {
        const source = options.pattern.source;
        throw new ConversionFailure(
          `Cannot validate argument on parameter '${psName}'. The argument "${value}" does not match the "${source}" pattern. Supply an argument that matches "${source}" and try the command again.`,
        );
      }
      return value;
    },
  );
}

export function stringArrayParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<readonly string[], string | readonly string[], R, A> {
  const element = stringParameter({ allowEmptyString: true });
  return parameter(options, { typeName: 'System.String[]' }, (value, psName) => {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return Object.freeze(items.map((item) => element.convert(item, psName)));
  });
}

/** A PowerShell [switch]: only booleans (and 0/1) are accepted, so a typo such as 'yes' cannot pass silently. */
export function switchParameter<const A extends string = never>(
  options: CommonOptions<false, A> = {},
): Parameter<boolean, boolean, false, A> {
  return parameter(options, { typeName: 'System.Management.Automation.SwitchParameter', isSwitch: true }, (value, psName) => {
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    throw new ConversionFailure(
      `Cannot process argument transformation on parameter '${psName}'. Cannot convert value "${describeValue(value)}" to type "System.Management.Automation.SwitchParameter". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
    );
  });
}

function enumMember<E extends string>(value: unknown, psName: string, members: readonly E[], typeName: string): E {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? undefined : members.find((member) => member.toLowerCase() === text.toLowerCase());
  if (match !== undefined) return match;
  throw new ConversionFailure(
    `Cannot bind parameter '${psName}'. Cannot convert value "${describeValue(value)}" to type "${typeName}". Error: "Unable to match the identifier name ${describeValue(value)} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${members.join(', ')}"`,
  );
}

/** An enum value, matched case-insensitively ('lax', 'Lax' and 'LAX' all bind to 'Lax'). */
export function enumParameter<const E extends string, const R extends boolean = false, const A extends string = never>(
  members: readonly E[],
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<E, E | Lowercase<E> | Uppercase<E> | (string & {}), R, A> {
  return parameter(options, { typeName, accepted: members }, (value, psName) => enumMember(value, psName, members, typeName));
}

export function enumArrayParameter<const E extends string, const R extends boolean = false, const A extends string = never>(
  members: readonly E[],
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<readonly E[], E | (string & {}) | readonly (E | (string & {}))[], R, A> {
  return parameter(options, { typeName: `${typeName}[]`, accepted: members }, (value, psName) => {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return Object.freeze(items.map((item) => enumMember(item, psName, members, typeName)));
  });
}

/** A value of a declared kind, checked by a type guard (a cookie builder, a logger configuration, a script block). */
export function typedParameter<T, const R extends boolean = false, const A extends string = never>(
  isValid: (value: unknown) => value is T,
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<T, T, R, A> {
  return parameter(options, { typeName }, (value, psName) => {
    if (isValid(value)) return value;
    throw new ConversionFailure(
      `Cannot bind parameter '${psName}'. Cannot convert the "${describeValue(value)}" value of type "${jsTypeName(value)}" to type "${typeName}".`,
    );
  });
}

/** Any value at all, as PowerShell's [object] parameters take (Write-KrJsonResponse -InputObject). */
export function objectParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<unknown, unknown, R, A> {
  return parameter(options, { typeName: 'System.Object', allowEmptyString: true }, (value) => value);
}

/** A duration in milliseconds, accepted in every form Kestrun's ConvertTo-TimeSpan takes. */
export function timeSpanParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<number, number | string, R, A> {
  return parameter(options, { typeName: 'System.TimeSpan' }, (value, psName) => {
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
