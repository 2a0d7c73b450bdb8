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

/**
 * Runs a route's script block, and everything it awaits, with `context` as the current context. Returns what the
 * block returns: a promise when it has more to do, in which case the storage stays on until that promise settles.
 */
export function runRoute(context: RouteContext, scriptBlock: (context: RouteContext) => unknown): unknown {
  routesRunning += 1;
  let result: unknown;
  try {
    result = storage.run(context, scriptBlock, context);
  } catch (error) {
    routeEnded();
    throw error;
  }
  if (!isThenable(result)) {
    routeEnded();
    return result;
  }
  return Promise.resolve(result).finally(routeEnded);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function routeEnded(): void {
  routesRunning -= 1;
  if (routesRunning === 0) storage.disable();
}
