import { KrParameterBindingError } from './cmdlet-error.ts';
import { ConversionFailure } from './conversion-failure.ts';
import type { BoundValues, ParameterSchema } from './parameter-schema.ts';
import type { AnyParameter } from './parameter.ts';

export interface BoundParameters<S extends ParameterSchema> {
  readonly values: BoundValues<S>;
  /** The parameters the caller actually passed: Kestrun decides a lot on $PSBoundParameters. */
  readonly bound: ReadonlySet<keyof S & string>;
  readonly parameterSet: string;
}

export interface BindingOptions {
  readonly parameterSets?: readonly string[];
  readonly defaultParameterSet?: string;
}

function psNameOf(key: string, parameter: AnyParameter): string {
  return parameter.psName ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** One parameter as binding needs it: its key in the schema, its declaration and its PowerShell name. */
interface PlannedParameter {
  readonly key: string;
  readonly parameter: AnyParameter;
  readonly psName: string;
}

/**
 * What binding needs to know of a schema, worked out once per cmdlet: route cmdlets are bound on every request.
 * `names` maps every accepted name (as declared, and lower-cased: PowerShell names are case-insensitive) to its
 * parameter, so that a name costs one lookup.
 */
interface SchemaPlan {
  readonly names: ReadonlyMap<string, PlannedParameter>;
  readonly mandatory: readonly PlannedParameter[];
}

function planSchema(schema: ParameterSchema): SchemaPlan {
  const names = new Map<string, PlannedParameter>();
  const mandatory: PlannedParameter[] = [];
  for (const [key, parameter] of Object.entries(schema)) {
    const planned: PlannedParameter = { key, parameter, psName: psNameOf(key, parameter) };
    for (const name of [key, ...parameter.aliases]) names.set(name, planned).set(name.toLowerCase(), planned);
    if (parameter.mandatory) mandatory.push(planned);
  }
  return { names, mandatory };
}

const ALL_PARAMETER_SETS = '__AllParameterSets';

function belongsToSet(schema: ParameterSchema, key: string, parameterSet: string): boolean {
  const sets = schema[key]?.sets;
  return sets === undefined || sets.includes(parameterSet);
}

function resolveParameterSet(
  cmdlet: string,
  schema: ParameterSchema,
  bound: ReadonlySet<string>,
  options: BindingOptions,
): string {
  const allSets = options.parameterSets ?? [ALL_PARAMETER_SETS];
  let candidates = [...allSets];
  for (const key of bound) {
    const sets = schema[key]?.sets;
    if (sets !== undefined) candidates = candidates.filter((set) => sets.includes(set));
  }
  if (candidates.length === 0) {
    throw new KrParameterBindingError(
      cmdlet,
      'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.',
    );
  }
  if (candidates.length === 1) return candidates[0] as string;
  // As PowerShell does, a set whose mandatory parameters are all bound wins over one that would miss some
  // (Add-KrEndpoint's `protocols` alone selects SelfSignedCert, not CertFile without its CertPath).
  const satisfied = candidates.filter((set) =>
    Object.entries(schema).every(
      ([key, parameter]) => !parameter.mandatory || parameter.sets === undefined || !parameter.sets.includes(set) || bound.has(key),
    ),
  );
  if (satisfied.length === 1) return satisfied[0] as string;
  const pool = satisfied.length > 0 ? satisfied : candidates;
  // Prefer a set whose own (set-specific) parameters were bound, then the declared default.
  const specific = pool.filter((set) =>
    [...bound].some((key) => schema[key]?.sets?.length === 1 && schema[key]?.sets?.[0] === set),
  );
  if (specific.length === 1) return specific[0] as string;
  const fallback = options.defaultParameterSet;
  return fallback !== undefined && pool.includes(fallback) ? fallback : (pool[0] as string);
}

/**
 * The binder of one cmdlet's calls, which binds one object of named parameters the way PowerShell binds a cmdlet
 * call: names are matched case-insensitively (aliases included), unknown names and duplicates are errors, values are
 * converted and validated, and mandatory parameters of the chosen parameter set must be present.
 * `undefined` and `null` mean "not passed", which lets scripts spread optional values.
 * The schema is planned here, once, rather than looked up at every call.
 */
export function createBinder<S extends ParameterSchema>(
  cmdlet: string,
  schema: S,
  options: BindingOptions = {},
): (input: unknown) => BoundParameters<S> {
  const plan = planSchema(schema);
  return (input) => bindParameters(cmdlet, schema, plan, input, options);
}

function bindParameters<S extends ParameterSchema>(
  cmdlet: string,
  schema: S,
  plan: SchemaPlan,
  input: unknown,
  options: BindingOptions,
): BoundParameters<S> {
  assertNamedParameters(cmdlet, input);
  // A key is bound exactly when it has a value here, so no set of bound keys is kept beside it: every cmdlet call of
  // every request comes through here, and most never ask which parameters were bound.
  const values: Record<string, unknown> = {};
  const explicitNulls = bindNamedValues(cmdlet, plan, (input ?? {}) as Record<string, unknown>, values);
  const parameterSet =
    options.parameterSets === undefined ? ALL_PARAMETER_SETS : resolveParameterSet(cmdlet, schema, new Set(Object.keys(values)), options);
  rejectMandatoryNulls(cmdlet, schema, explicitNulls, parameterSet);
  rejectMissingMandatory(cmdlet, schema, plan, values, parameterSet);
  return new BoundResult<S>(values as BoundValues<S>, parameterSet);
}

/** A cmdlet takes one object of named parameters; `undefined` and `null` stand for an empty one. */
function assertNamedParameters(cmdlet: string, input: unknown): void {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new KrParameterBindingError(
      cmdlet,
      `Cannot bind parameters: expected an object of named parameters, such as ${cmdlet.replace(/^(\w)(\w*)-/, (_, a: string, b: string) => a.toLowerCase() + b)}({ ... }), but got ${Array.isArray(input) ? 'an array' : typeof input}.`,
    );
  }
}

/**
 * Converts every named value into `values` under its parameter's key. Returns the parameters passed as `null`, which
 * are not bound but are refused later if they are mandatory in the chosen parameter set.
 */
function bindNamedValues(
  cmdlet: string,
  plan: SchemaPlan,
  named: Record<string, unknown>,
  values: Record<string, unknown>,
): Map<string, PlannedParameter> | undefined {
  let explicitNulls: Map<string, PlannedParameter> | undefined;
  for (const name in named) {
    if (!Object.hasOwn(named, name)) continue;
    const planned = plan.names.get(name) ?? plan.names.get(name.toLowerCase());
    if (planned === undefined) {
      throw new KrParameterBindingError(cmdlet, `A parameter cannot be found that matches parameter name '${name}'.`, name);
    }
    const value = named[name];
    if (value === undefined) continue;
    const { key, psName } = planned;
    if (Object.hasOwn(values, key) || explicitNulls?.has(key)) {
      throw new KrParameterBindingError(
        cmdlet,
        `Cannot bind parameter because parameter '${psName}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax.`,
        psName,
      );
    }
    if (value === null) (explicitNulls ??= new Map()).set(key, planned);
    else values[key] = convertArgument(cmdlet, planned, value);
  }
  return explicitNulls;
}

/** One argument as its parameter declares it, or a binding error naming the parameter. */
function convertArgument(cmdlet: string, { parameter, psName }: PlannedParameter, value: unknown): unknown {
  if (parameter.mandatory && value === '' && !parameter.allowEmptyString) {
    throw new KrParameterBindingError(
      cmdlet,
      `Cannot bind argument to parameter '${psName}' because it is an empty string.`,
      psName,
    );
  }
  try {
    return parameter.convert(value, psName);
  } catch (error) {
    if (error instanceof ConversionFailure) throw new KrParameterBindingError(cmdlet, error.message, psName);
    throw error;
  }
}

function rejectMandatoryNulls(
  cmdlet: string,
  schema: ParameterSchema,
  explicitNulls: ReadonlyMap<string, PlannedParameter> | undefined,
  parameterSet: string,
): void {
  for (const { key, parameter, psName } of explicitNulls?.values() ?? []) {
    if (parameter.mandatory && belongsToSet(schema, key, parameterSet)) {
      throw new KrParameterBindingError(cmdlet, `Cannot bind argument to parameter '${psName}' because it is null.`, psName);
    }
  }
}

function rejectMissingMandatory(
  cmdlet: string,
  schema: ParameterSchema,
  plan: SchemaPlan,
  values: Record<string, unknown>,
  parameterSet: string,
): void {
  // A loop that allocates only when something is missing: every cmdlet call of every request comes through here.
  let missing: string[] | undefined;
  for (const { key, psName } of plan.mandatory) {
    if (!Object.hasOwn(values, key) && belongsToSet(schema, key, parameterSet)) (missing ??= []).push(psName);
  }
  if (missing !== undefined) {
    throw new KrParameterBindingError(
      cmdlet,
      `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`,
      missing[0],
    );
  }
}

class BoundResult<S extends ParameterSchema> implements BoundParameters<S> {
  constructor(
    readonly values: BoundValues<S>,
    readonly parameterSet: string,
  ) {}

  get bound(): ReadonlySet<keyof S & string> {
    return new Set(Object.keys(this.values) as (keyof S & string)[]);
  }
}
