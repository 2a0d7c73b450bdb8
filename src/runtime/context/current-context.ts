import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouteContext } from './kr-context.ts';

/**
 * The request a route cmdlet acts on, found without passing it around: what $Context is inside a Kestrun route
 * script block.
 *
 * A script block that awaits needs AsyncLocalStorage to find its request again after each await. On Node 20 that
 * means promise hooks, which make every promise and callback in the process dearer while they are installed. So a
 * script block that returns before any await runs with a plain variable, and the storage is switched on only while
 * script blocks that await are running. See script-block-runner.ts for which is which.
 */
const storage = new AsyncLocalStorage<RouteContext>();
let synchronousContext: RouteContext | undefined;
let trackedRuns = 0;

export function currentContext(): RouteContext | undefined {
  return synchronousContext ?? storage.getStore();
}

/** Runs a script block that returns before any await: its context is seen by everything it calls, and by nothing after. */
export function runUntracked(context: RouteContext, scriptBlock: (context: RouteContext) => unknown): unknown {
  const previous = synchronousContext;
  synchronousContext = context;
  try {
    return scriptBlock(context);
  } finally {
    synchronousContext = previous;
  }
}

/**
 * Runs a script block whose context must survive its awaits. Returns what the block returns; when that is a promise,
 * the promise returned settles the same way, once the storage is no longer needed for it.
 */
export function runTracked(context: RouteContext, scriptBlock: (context: RouteContext) => unknown): unknown {
  trackedRuns += 1;
  let result: unknown;
  try {
    result = storage.run(context, scriptBlock, context);
  } catch (error) {
    trackedRunEnded();
    throw error;
  }
  if (!isThenable(result)) {
    trackedRunEnded();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      trackedRunEnded();
      return value;
    },
    (error: unknown) => {
      trackedRunEnded();
      throw error;
    },
  );
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function trackedRunEnded(): void {
  trackedRuns -= 1;
  if (trackedRuns === 0) storage.disable();
}
