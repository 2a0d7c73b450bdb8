/** A cmdlet parameter's declaration; text-, number- and switch-and-object-parameters.ts declare each kind. */
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

/** What every factory takes, whatever type the parameter binds to. */
export interface CommonOptions<R extends boolean, A extends string> {
  readonly mandatory?: R;
  readonly aliases?: readonly A[];
  readonly psName?: string;
  readonly defaultValue?: string;
  readonly description?: string;
  readonly position?: number;
  readonly fromPipeline?: boolean;
}

/** What a parameter factory knows of the values it accepts, kept on the declaration for the reference. */
export interface ValueFacts {
  readonly typeName: string;
  readonly accepted?: readonly string[] | undefined;
  readonly range?: ParameterRange | undefined;
  readonly pattern?: RegExp | undefined;
  readonly allowEmptyString?: boolean | undefined;
  readonly isSwitch?: boolean | undefined;
}

/** Freezes a declaration from a factory's options, its facts and its conversion. */
export function declareParameter<T, I, R extends boolean, A extends string>(
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
