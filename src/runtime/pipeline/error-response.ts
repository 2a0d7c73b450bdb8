import { STATUS_CODES } from 'node:http';
import { CacheUnavailableError } from '../cache/distributed-cache.ts';
import type { KrContext } from '../context/kr-context.ts';
import { KrResponse } from '../context/kr-response.ts';
import type { KrLogger } from '../logging/kr-logger.ts';

/** How long a client is asked to wait before retrying while the session store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The response of a failed route, its error logged: 503 while the session store is unreachable, 500 otherwise. */
export function failureResponse(logger: KrLogger, routeLabel: string, context: KrContext, error: unknown): KrResponse {
  const { method, path } = context.request;
  if (error instanceof CacheUnavailableError) {
    // One line per failed request: the session logged the outage's first failure with its stack.
    logger.error(`Session store unavailable while serving ${method} ${path}: ${error.message}`);
    return errorResponse(context, 503, 'The session store is unavailable. Please retry later.', {
      'retry-after': String(STORE_RETRY_AFTER_SECONDS),
    });
  }
  logger.error(`Route ${routeLabel} failed while serving ${method} ${path}`, error);
  return errorResponse(context, 500, 'An internal server error occurred.');
}

/**
 * The error body Kestrun's error writer produces for JSON: camel-cased, with the status, its reason phrase,
 * when, and which request. Never a stack trace: that goes to the log only. It replaces whatever the route had
 * buffered, headers included.
 */
export function errorResponse(
  context: KrContext,
  status: number,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): KrResponse {
  const body = JSON.stringify({
    error: message,
    status,
    reason: STATUS_CODES[status] ?? 'Error',
    timestamp: new Date().toISOString(),
    path: context.request.path,
    method: context.request.method,
  });
  const response = new KrResponse();
  response.write(body, status, 'application/json; charset=utf-8');
  response.addHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(extraHeaders)) response.addHeader(name, value);
  return response;
}
