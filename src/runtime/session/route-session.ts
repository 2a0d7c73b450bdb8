import { KrCmdletError } from '../binding/cmdlet-error.ts';
import { routeContextOrWarn } from '../context/route-context.ts';
import type { RequestSession, SessionLimitRefusal } from './request-session.ts';
import { SessionLimitError } from './session-format.ts';

/**
 * The session of the current request for a session cmdlet, or undefined after a warning when the cmdlet runs
 * outside a route or on a server without Add-KrSession (where Kestrun's cmdlets silently do nothing).
 */
export function routeSessionOrWarn(cmdlet: string): RequestSession | undefined {
  const context = routeContextOrWarn(cmdlet);
  if (context === undefined) return undefined;
  if (context.session === undefined) {
    context.server.logger.warning(`${cmdlet}: server '${context.server.name}' has no session; call Add-KrSession before Enable-KrConfiguration.`);
  }
  return context.session;
}

/**
 * The refusal a session cmdlet reports when a write would break a session limit: an error that names the cmdlet
 * and the parameter. Made once per cmdlet, not per call.
 */
export function sessionLimitRefusal(cmdlet: string, parameter: string): SessionLimitRefusal {
  return (message) => new KrCmdletError(cmdlet, message, { parameter, cause: new SessionLimitError(message) });
}

/** What a session cmdlet resolves to when it had nothing to act on (outside a route, or no session). */
export const NOTHING: Promise<undefined> = Promise.resolve(undefined);
