import { createBinder } from './bind-parameters.ts';
import type { BindingOptions, BoundParameters, CmdletInput, ParameterSchema, RequiredKeys } from './bind-parameters.ts';

/** What a cmdlet declares, as `kestrun-ts convert` reads it to check a .ps1's calls against the binder's own schema. */
export interface CmdletDeclaration {
  readonly name: string;
  readonly schema: ParameterSchema;
  /** The cmdlet returns a promise, which a converted script awaits. */
  readonly async: boolean;
}

const declarations = new WeakMap<object, CmdletDeclaration>();

/** The declaration of a function made by defineCmdlet or defineAsyncCmdlet; undefined for anything else. */
export function cmdletDeclaration(candidate: unknown): CmdletDeclaration | undefined {
  return typeof candidate === 'function' ? declarations.get(candidate) : undefined;
}

/** A cmdlet whose parameters are all optional may be called with no argument at all, as in PowerShell. */
export type CmdletArguments<S extends ParameterSchema> = [RequiredKeys<S>] extends [never]
  ? [input?: CmdletInput<S>]
  : [input: CmdletInput<S>];

/**
 * Declares a cmdlet: its PowerShell name, its parameters and the body that runs on the bound values.
 * Keeps every cmdlet file down to what PowerShell's param() block and process{} block say.
 */
export function defineCmdlet<S extends ParameterSchema, R>(
  name: string,
  schema: S,
  body: (parameters: BoundParameters<S>) => R,
  options: BindingOptions = {},
): (...args: CmdletArguments<S>) => R {
  const bind = createBinder(name, schema, options);
  // One named parameter rather than a rest array: route cmdlets are called on every request, and the array was an
  // allocation per call.
  const cmdlet = (input?: CmdletInput<S>): R => body(bind(input));
  declarations.set(cmdlet, { name, schema, async: false });
  return cmdlet as (...args: CmdletArguments<S>) => R;
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
): (...args: CmdletArguments<S>) => Promise<R> {
  const bind = createBinder(name, schema, options);
  const cmdlet = (input?: CmdletInput<S>): Promise<R> => {
    try {
      return body(bind(input));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  declarations.set(cmdlet, { name, schema, async: true });
  return cmdlet as (...args: CmdletArguments<S>) => Promise<R>;
}
