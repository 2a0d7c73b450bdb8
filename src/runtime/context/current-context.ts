import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouteContext } from './kr-context.ts';

/**
 * The request a route cmdlet acts on, found without passing it around: what $Context is inside a Kestrun route
 * script block. On Node 20, AsyncLocalStorage works through promise hooks that every promise in the process pays
 * for while they are installed, so the storage is switched off whenever no route is running.
 */
const storage = new AsyncLocalStorage<RouteContext>();
let routesRunning = 0;

export function currentContext(): RouteContext | undefined {
  return storage.getStore();
}

/** Runs a route's script block, and everything it awaits, with `context` as the current context. */
export async function runRoute(context: RouteContext, scriptBlock: (context: RouteContext) => unknown): Promise<void> {
  routesRunning += 1;
  try {
    await storage.run(context, scriptBlock, context);
  } finally {
    routesRunning -= 1;
    if (routesRunning === 0) storage.disable();
  }
}
