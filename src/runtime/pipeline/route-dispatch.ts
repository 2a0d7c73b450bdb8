// Imported rather than read from globalThis, where it is an accessor that V8 loads generically.
import { performance } from 'node:perf_hooks';
import type { Context } from 'hono';
import { isThenable } from '../context/current-context.ts';
import { RouteContext } from '../context/kr-context.ts';
import { KrRequest } from '../context/kr-request.ts';
import { ScriptBlockRunner } from '../context/script-block-runner.ts';
import type { KrResponse } from '../context/kr-response.ts';
import type { HostRecord } from '../host/host-registry.ts';
import type { RouteDefinition } from '../host/server-definition.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import { toResponse } from './apply-response.ts';
import { failureResponse } from './error-response.ts';
import { logRequest } from './request-log.ts';

/**
 * The Hono handler of one route, read top to bottom: run the script block with its context (which route cmdlets
 * find on their own: see current-context.ts), wait for it and commit the session, then send the buffered response,
 * or the failure's, once, as the Response Hono sends. The commit finishes first, so a write that was not stored is
 * never answered with a success.
 */
export function routeHandler(
  host: HostRecord,
  route: RouteDefinition,
  sessions: SessionEngine | undefined,
): (c: Context) => Response | Promise<Response> {
  const routeLabel = `${route.verbs.join(',').toUpperCase()} ${route.pattern}`;
  const logger = host.handle.logger;
  const scriptBlock = new ScriptBlockRunner(route.scriptBlock, (message) => logger.warning(`Route ${routeLabel} ${message}`));

  const respond = (context: RouteContext, started: number, response: KrResponse): Response => {
    logRequest(logger, context.request.method, context.request.path, response.statusCode, started);
    return toResponse(response);
  };

  const finish = async (context: RouteContext, started: number, running: PromiseLike<unknown> | undefined): Promise<Response> => {
    try {
      await running;
      await context.openedSession?.commit(context.response);
      return respond(context, started, sendable(context.response));
    } catch (error) {
      return respond(context, started, failureResponse(logger, routeLabel, context, error));
    }
  };

  return (c) => {
    const started = performance.now();
    const context = new RouteContext(host.handle, new KrRequest(c), sessions);
    let running: PromiseLike<unknown> | undefined;
    try {
      const result = scriptBlock.run(context);
      if (isThenable(result)) running = result;
      // Nothing to wait for: answered without a promise, which keeps @hono/node-server on its fast path.
      else if (context.openedSession === undefined) return respond(context, started, sendable(context.response));
    } catch (error) {
      return respond(context, started, failureResponse(logger, routeLabel, context, error));
    }
    return finish(context, started, running);
  };
}

/** The response as it can go out: a status Node cannot send (a script that set statusCode itself) fails the route. */
function sendable(response: KrResponse): KrResponse {
  const status = response.statusCode;
  if (Number.isInteger(status) && status >= 200 && status <= 999) return response;
  throw new RangeError(`The route set the status code ${status}, which is not between 200 and 999.`);
}
