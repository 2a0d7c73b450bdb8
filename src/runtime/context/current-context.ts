import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouteContext } from './kr-context.ts';

/**
 * The request a route cmdlet acts on, found without passing it around: what $Context is inside a Kestrun route
 * script block.
 *
 * A script block that awaits needs AsyncLocalStorage to find its request again after each await. On Node 20 that
 * means promise hooks, which make every promise and callback in the process dearer while they are installed. So a
 * script block that returns before any await runs with a plain variable, and the storage is switched off once no
 * script block that awaits has run for IDLE_BEFORE_SWITCH_OFF_MS. See script-block-runner.ts for which is which.
 */
const storage = new AsyncLocalStorage<RouteContext>();
let synchronousContext: RouteContext | undefined;
let trackedRuns = 0;

/**
 * Not at once when the last tracked run ends: under load that happens between requests (every block waiting for its
 * commit), and switching the hooks off and on again each time cost more than keeping them on.
 */
export const IDLE_BEFORE_SWITCH_OFF_MS = 1000;
let idleCheck: NodeJS.Timeout | undefined;
let startedSinceIdleCheck = false;

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
  startedSinceIdleCheck = true;
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
  if (trackedRuns === 0 && idleCheck === undefined) scheduleIdleCheck();
}

function scheduleIdleCheck(): void {
  startedSinceIdleCheck = false;
  idleCheck = setTimeout(switchOffIfIdle, IDLE_BEFORE_SWITCH_OFF_MS);
  // The storage never keeps the process alive.
  idleCheck.unref();
}

/** A run still under way checks again when it ends; runs that came and went since the last check put it off. */
function switchOffIfIdle(): void {
  idleCheck = undefined;
  if (trackedRuns > 0) return;
  if (startedSinceIdleCheck) scheduleIdleCheck();
  else storage.disable();
}
