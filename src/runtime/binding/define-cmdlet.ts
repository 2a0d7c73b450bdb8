import { createBinder } from './bind-parameters.ts';
import type { BindingOptions, BoundParameters } from './bind-parameters.ts';
import type { CmdletInput, ParameterSchema, RequiredKeys } from './parameter-schema.ts';

/** A cmdlet whose parameters are all optional may be called with no argument at all, as in PowerShell. */
export type CmdletArguments<S extends ParameterSchema> = [RequiredKeys<S>] extends [never]
  ? [input?: CmdletInput<S>]
  : [input: CmdletInput<S>];

/** What a cmdlet declares, kept on its function for the tools that describe it (the cmdlet reference, the converter). */
export interface CmdletDeclaration {
  readonly name: string;
  readonly parameters: ParameterSchema;
  readonly parameterSets: readonly string[] | undefined;
  readonly defaultParameterSet: string | undefined;
  /** The cmdlet returns a promise, which a converted script awaits. */
  readonly async: boolean;
}

/** A cmdlet function, carrying its declaration. */
export type Cmdlet<S extends ParameterSchema, R> = ((...args: CmdletArguments<S>) => R) & { readonly declaration: CmdletDeclaration };

/** The declaration of a function made by defineCmdlet or defineAsyncCmdlet; undefined for anything else. */
export function cmdletDeclaration(candidate: unknown): CmdletDeclaration | undefined {
  if (typeof candidate !== 'function' || !Object.hasOwn(candidate, 'declaration')) return undefined;
  return (candidate as unknown as { readonly declaration: CmdletDeclaration }).declaration;
}

function declared<S extends ParameterSchema, R>(
  cmdlet: (input?: CmdletInput<S>) => R,
  name: string,
  schema: S,
  options: BindingOptions,
  async: boolean,
): Cmdlet<S, R> {
  const declaration: CmdletDeclaration = Object.freeze({
    name,
    parameters: schema,
    parameterSets: options.parameterSets,
    defaultParameterSet: options.defaultParameterSet,
    async,
  });
  return Object.assign(cmdlet as (...args: CmdletArguments<S>) => R, { declaration });
}

/**
 * Declares a cmdlet: its PowerShell name, its parameters and the body that runs on the bound values.
 * Keeps every cmdlet file down to what PowerShell's param() block and process{} block say.
 */
export function defineCmdlet<S extends ParameterSchema, R>(
  name: string,
  schema: S,
  body: (parameters: BoundParameters<S>) => R,
  options: BindingOptions = {},
): Cmdlet<S, R> {
  const bind = createBinder(name, schema, options);
  // One named parameter rather than a rest array: route cmdlets are called on every request, and the array was an
  // allocation per call.
  const cmdlet = (input?: CmdletInput<S>): R => body(bind(input));
  return declared(cmdlet, name, schema, options, false);
}

/**
 * Declares a cmdlet that returns a promise. Binding errors, and anything else the body throws before it returns
 * its promise, reject that promise instead of being thrown, so a caller's `.catch()` sees every failure.
 */
export function defineAsyncCmdlet<S extends ParameterSchema, R>(
  name: string,
  schema: S,
  body: (parameters: BoundParameters<S>) => Promise<R>,
  options: BindingOptions = {},
): Cmdlet<S, Promise<R>> {
  const bind = createBinder(name, schema, options);
  const cmdlet = (input?: CmdletInput<S>): Promise<R> => {
    try {
      return body(bind(input));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return declared(cmdlet, name, schema, options, true);
}
