import type { Context } from 'hono';
import { CacheUnavailableError } from '../cache/distributed-cache.ts';
import { KrContext } from '../context/kr-context.ts';
import { endTrackedRun, runSynchronously, runTracked } from '../context/current-context.ts';
import type { HostRecord } from '../host/host-registry.ts';
import type { RouteDefinition } from '../host/server-definition.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import { applyResponse } from './apply-response.ts';
import { errorResponse } from './error-response.ts';
import { logRequest } from './request-log.ts';

/** How long a client is asked to wait before retrying while the session store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Runs one route: the script block with its context (which route cmdlets find on their own: see current-context.ts), then
 * the session commit, then the buffered response. The commit finishes before anything is sent, so a write
 * that was not stored is never answered with a success. A synchronous script block with nothing to commit is
 * answered synchronously, which keeps @hono/node-server on its fastest path.
 */
export function createRouteDispatcher(
  record: HostRecord,
  route: RouteDefinition,
  sessions: SessionEngine | undefined,
): (c: Context) => Response | Promise<Response> {
  const { scriptBlock } = route;
  const routeLabel = `${route.verbs.join(',').toUpperCase()} ${route.pattern}`;

  const fail = (context: KrContext, error: unknown, started: number): Response => {
    const logger = record.definition.logger;
    if (error instanceof CacheUnavailableError) {
      logger.error(`Session store unavailable while serving ${context.request.method} ${context.request.path}: ${error.message}`, error);
      return logged(context, errorResponse(context, 503, 'The session store is unavailable. Please retry later.', {
        'retry-after': String(STORE_RETRY_AFTER_SECONDS),
      }), started);
    }
    logger.error(`Route ${routeLabel} failed while serving ${context.request.method} ${context.request.path}`, error);
    return logged(context, errorResponse(context, 500, 'An internal server error occurred.'), started);
  };

  const logged = (context: KrContext, response: Response, started: number): Response => {
    logRequest(record.definition.logger, context.request.method, context.request.path, response.status, started);
    return response;
  };

  const respond = (context: KrContext, started: number): Response => logged(context, applyResponse(context.response), started);

  const commitAndRespond = (context: KrContext, started: number): Response | Promise<Response> => {
    let committed: Promise<Response> | undefined;
    try {
      committed = context.openedSession?.commit(
        context.response,
        () => respond(context, started),
        (error) => fail(context, error, started),
      );
    } catch (error) {
      return fail(context, error, started);
    }
    return committed ?? respond(context, started);
  };

  // A tracked run ends when its script block has settled: then the storage may switch off again.
  const finish = (context: KrContext, started: number, trackedRun: boolean): Response | Promise<Response> => {
    if (trackedRun) endTrackedRun();
    return commitAndRespond(context, started);
  };

  const abort = (context: KrContext, error: unknown, started: number, trackedRun: boolean): Response => {
    if (trackedRun) endTrackedRun();
    return fail(context, error, started);
  };

  // Whether the script block's context must survive awaits: known for an async function; a plain one runs
  // tracked on its first call and is judged by what it returns.
  let tracked: boolean | undefined = isAsyncFunction(scriptBlock) ? true : undefined;

  return (c) => {
    const started = performance.now();
    const context = new KrContext(record, c, sessions);
    const trackedRun = tracked !== false;
    let result: unknown;
    try {
      result = trackedRun ? runTracked(context, () => scriptBlock(context)) : runSynchronously(context, () => scriptBlock(context));
    } catch (error) {
      return abort(context, error, started, trackedRun);
    }
    const pending = isThenable(result);
    if (tracked === undefined) tracked = pending;
    else if (!trackedRun && pending) {
      tracked = true;
      record.definition.logger.warning(
        `Route ${routeLabel} returned a promise after returning plain values before; its context follows awaits from its next call on. ` +
          'Declare the script block async so that every call is tracked.',
      );
    }
    if (!pending) return finish(context, started, trackedRun);
    return Promise.resolve(result).then(
      () => finish(context, started, trackedRun),
      (error: unknown) => abort(context, error, started, trackedRun),
    );
  };
}

const AsyncFunction = (async () => {}).constructor;

function isAsyncFunction(value: unknown): boolean {
  return value instanceof AsyncFunction;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
