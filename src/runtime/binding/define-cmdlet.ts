import { bindParameters } from './bind-parameters.ts';
import type { BindingOptions, BoundParameters, CmdletInput, ParameterSchema, RequiredKeys } from './bind-parameters.ts';

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
  return (...args) => body(bindParameters(name, schema, args[0], options));
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
  return (...args) => {
    try {
      return body(bindParameters(name, schema, args[0], options));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
