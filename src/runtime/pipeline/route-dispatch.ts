// Imported rather than read from globalThis, where it is an accessor: each request's lookup of the global went
// through V8's generic global load (about 170 instructions).
import { performance } from 'node:perf_hooks';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { CacheUnavailableError } from '../cache/distributed-cache.ts';
import { KrContext } from '../context/kr-context.ts';
import type { KrResponse } from '../context/kr-response.ts';
import { endTrackedRun, runSynchronously, runTracked } from '../context/current-context.ts';
import type { HostRecord } from '../host/host-registry.ts';
import type { RouteDefinition } from '../host/server-definition.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import { applyResponse } from './apply-response.ts';
import { errorResponse } from './error-response.ts';
import type { NodeBindings } from './node-bindings.ts';
import { logRequest } from './request-log.ts';
import { discardHeaders, writeResponse } from './write-response.ts';
import type { NodeResponse } from './write-response.ts';

/** How long a client is asked to wait before retrying while the session store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Runs one route: the script block with its context (which route cmdlets find on their own: see current-context.ts), then
 * the session commit, then the buffered response. The commit finishes before anything is sent, so a write
 * that was not stored is never answered with a success.
 *
 * A synchronous script block is answered synchronously, which keeps @hono/node-server on its fastest path. An async
 * one, on a GET served by @hono/node-server, writes its response to Node itself once it is done and tells Hono at
 * once that the response is taken care of: handing Hono a promise instead costs six more promises per request (18
 * against 12 on /session/counter), and while an async route runs, every promise in the process pays for
 * AsyncLocalStorage's hooks. Other verbs keep Hono's way: @hono/node-server answers a HEAD from the GET route's
 * Response itself, and destroys an HTTP/2 stream whose request body is still unread soon after the app returns.
 */
export function createRouteDispatcher(
  record: HostRecord,
  route: RouteDefinition,
  sessions: SessionEngine | undefined,
): (c: Context) => Response | Promise<Response> {
  const { scriptBlock } = route;
  const routeLabel = `${route.verbs.join(',').toUpperCase()} ${route.pattern}`;

  /** The response of a failed route, its error logged: 503 while the session store is unreachable, 500 otherwise. */
  const failure = (context: KrContext, error: unknown): KrResponse => {
    const logger = record.definition.logger;
    if (error instanceof CacheUnavailableError) {
      // One line per failed request: the session logged the outage's first failure with its stack.
      logger.error(`Session store unavailable while serving ${context.request.method} ${context.request.path}: ${error.message}`);
      return errorResponse(context, 503, 'The session store is unavailable. Please retry later.', {
        'retry-after': String(STORE_RETRY_AFTER_SECONDS),
      });
    }
    logger.error(`Route ${routeLabel} failed while serving ${context.request.method} ${context.request.path}`, error);
    return errorResponse(context, 500, 'An internal server error occurred.');
  };

  /**
   * Ends a route whose script block has returned: commits a modified session, then delivers the response, the route's
   * own or its failure's. A tracked run ends here, so that the storage may switch off again. A route that did not
   * touch the session ends without making a closure.
   */
  const complete = (
    context: KrContext,
    started: number,
    trackedRun: boolean,
    outgoing: NodeResponse | undefined,
  ): Response | Promise<Response> => {
    if (trackedRun) endTrackedRun();
    const session = context.openedSession;
    let committed: Promise<Response> | undefined;
    if (session !== undefined) {
      committed = session.commit(context.response).then(
        () => deliver(context, started, outgoing, context.response),
        (error: unknown) => deliver(context, started, outgoing, failure(context, error)),
      );
    }
    return committed ?? deliver(context, started, outgoing, context.response);
  };

  const abort = (context: KrContext, error: unknown, trackedRun: boolean): KrResponse => {
    if (trackedRun) endTrackedRun();
    return failure(context, error);
  };

  /** The response as it can go out: a status Node cannot send (a script that set statusCode itself) fails the route. */
  const sendable = (context: KrContext, response: KrResponse): KrResponse => {
    const status = response.statusCode;
    if (Number.isInteger(status) && status >= 200 && status <= 999) return response;
    return failure(context, new RangeError(`The route set the status code ${status}, which is not between 200 and 999.`));
  };

  const toHono = (context: KrContext, started: number, response: KrResponse): Response => {
    const sent = sendable(context, response);
    logRequest(record.definition.logger, context.request.method, context.request.path, sent.statusCode, started);
    return applyResponse(sent);
  };

  /** The last resort when no response could be written: the client must not wait forever. */
  const abandon = (context: KrContext, outgoing: NodeResponse, error: unknown): void => {
    record.definition.logger.error(`Route ${routeLabel} could not answer ${context.request.method} ${context.request.path}`, error);
    if (!outgoing.writableEnded) outgoing.destroy();
  };

  /** Sends the response through Node. Never throws: nothing waits on it that could answer the client instead. */
  const toNode = (context: KrContext, started: number, outgoing: NodeResponse, response: KrResponse): void => {
    const sent = sendable(context, response);
    let status = sent.statusCode;
    try {
      writeResponse(outgoing, sent);
    } catch (refusal) {
      // Node refused the response before sending anything, which no earlier check foresaw; @hono/node-server's
      // own write would have failed the same way.
      status = 500;
      try {
        discardHeaders(outgoing);
        writeResponse(outgoing, failure(context, refusal));
      } catch (secondRefusal) {
        abandon(context, outgoing, secondRefusal);
      }
    }
    logRequest(record.definition.logger, context.request.method, context.request.path, status, started);
  };

  /** The Response Hono sends, or, once the response has gone through Node's own `outgoing`, Hono's word that it is sent. */
  const deliver = (context: KrContext, started: number, outgoing: NodeResponse | undefined, response: KrResponse): Response => {
    if (outgoing === undefined) return toHono(context, started, response);
    toNode(context, started, outgoing, response);
    return RESPONSE_ALREADY_SENT;
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
      result = trackedRun ? runTracked(context, scriptBlock) : runSynchronously(context, scriptBlock);
    } catch (error) {
      return toHono(context, started, abort(context, error, trackedRun));
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
    if (!pending) return complete(context, started, trackedRun, undefined);

    const bindings = c.env as NodeBindings | undefined;
    const outgoing = bindings?.incoming?.method === 'GET' ? bindings.outgoing : undefined;
    if (outgoing === undefined) {
      return Promise.resolve(result).then(
        () => complete(context, started, trackedRun, undefined),
        (error: unknown) => toHono(context, started, abort(context, error, trackedRun)),
      );
    }
    Promise.resolve(result).then(
      () => {
        const sent = complete(context, started, trackedRun, outgoing);
        if (sent instanceof Promise) sent.then(undefined, (error: unknown) => abandon(context, outgoing, error));
      },
      (error: unknown) => toNode(context, started, outgoing, abort(context, error, trackedRun)),
    );
    return RESPONSE_ALREADY_SENT;
  };
}

const AsyncFunction = (async () => {}).constructor;

function isAsyncFunction(value: unknown): boolean {
  return value instanceof AsyncFunction;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
