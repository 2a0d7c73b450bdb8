import { STATUS_CODES } from 'node:http';
import type { KrContext } from '../context/kr-context.ts';
import { KrResponse } from '../context/kr-response.ts';

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
