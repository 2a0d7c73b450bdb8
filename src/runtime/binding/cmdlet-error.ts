/**
 * Every error a cmdlet raises is prefixed with the cmdlet's name, as PowerShell prints it
 * (`Add-KrEndpoint: Cannot validate argument on parameter 'Port'. ...`), so a script author sees at once
 * which line of the script failed and which parameter to fix.
 */
export class KrCmdletError extends Error {
  readonly cmdlet: string;
  readonly parameter: string | undefined;

  constructor(cmdlet: string, message: string, options: { parameter?: string; cause?: unknown } = {}) {
    super(`${cmdlet}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KrCmdletError';
    this.cmdlet = cmdlet;
    this.parameter = options.parameter;
  }
}

/** Raised while binding named parameters: unknown names, missing mandatory values, failed validation. */
export class KrParameterBindingError extends KrCmdletError {
  constructor(cmdlet: string, message: string, parameter?: string) {
    super(cmdlet, message, parameter === undefined ? {} : { parameter });
    this.name = 'ParameterBindingException';
  }
}

/** A runtime failure reported as the cmdlet's own error: its message, prefixed with the cmdlet, the original as cause. */
export function cmdletErrorFrom(cmdlet: string, error: unknown, parameter?: string): KrCmdletError {
  const message = error instanceof Error ? error.message : String(error);
  return new KrCmdletError(cmdlet, message, parameter === undefined ? { cause: error } : { parameter, cause: error });
}
