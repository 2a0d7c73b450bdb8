import { getDefaultLogger } from '../logging/logger-manager.ts';
import { currentContext } from './current-context.ts';
import type { KrContext } from './kr-context.ts';

/**
 * The context for a route cmdlet, or undefined after Kestrun's Write-KrOutsideRouteWarning when the cmdlet
 * was called outside a route.
 */
export function routeContextOrWarn(cmdlet: string): KrContext | undefined {
  const context = currentContext();
  if (context === undefined) {
    getDefaultLogger().warning(`${cmdlet} must be called inside a route script block where $Context is available.`);
  }
  return context;
}
