import { getDefaultLogger } from '../logging/logger-manager.ts';
import { currentContext } from './current-context.ts';
import type { RouteContext } from './kr-context.ts';

/**
 * The context for a route cmdlet, or undefined after Kestrun's Write-KrOutsideRouteWarning when the cmdlet
 * was called outside a route.
 */
export function routeContextOrWarn(cmdlet: string): RouteContext | undefined {
  const context = currentContext();
  if (context === undefined) {
    getDefaultLogger().warning(`${cmdlet} must be called inside a route script block where $Context is available.`);
  }
  return context;
}
