import { AsyncLocalStorage } from 'node:async_hooks';
import type { KrContext } from './kr-context.ts';

/**
 * The request a route cmdlet acts on, found without passing it around: what $Context is inside a Kestrun
 * route script block.
 */
const storage = new AsyncLocalStorage<KrContext>();

export function currentContext(): KrContext | undefined {
  return storage.getStore();
}

export function runWithContext<T>(context: KrContext, run: () => T): T {
  return storage.run(context, run);
}
