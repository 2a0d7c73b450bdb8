import { KrCmdletError } from '../binding/cmdlet-error.ts';
import { routeContextOrWarn } from '../context/route-context.ts';
import type { RequestSession } from './request-session.ts';
import { SessionLimitError } from './session-format.ts';

/**
 * The session of the current request for a session cmdlet, or undefined after a warning when the cmdlet runs
 * outside a route or on a server without Add-KrSession (where Kestrun's cmdlets silently do nothing).
 */
export function routeSessionOrWarn(cmdlet: string): RequestSession | undefined {
  const context = routeContextOrWarn(cmdlet);
  if (context === undefined) return undefined;
  if (context.session === undefined) {
    context.host.definition.logger.warning(`${cmdlet}: server '${context.host.definition.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`);
  }
  return context.session;
}

/** Runs a session operation, turning a refused write (size limits) into an error that names the cmdlet. */
export async function sessionOperation<T>(cmdlet: string, parameter: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SessionLimitError) throw new KrCmdletError(cmdlet, error.message, { parameter, cause: error });
    throw error;
  }
}
