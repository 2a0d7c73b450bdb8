import { STATUS_CODES } from 'node:http';
import type { KrContext } from '../context/kr-context.ts';

/**
 * The error body Kestrun's error writer produces for JSON: camel-cased, with the status, its reason phrase,
 * when, and which request. Never a stack trace: that goes to the log only.
 */
export function errorResponse(
  context: KrContext,
  status: number,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): Response {
  const body = JSON.stringify({
    error: message,
    status,
    reason: STATUS_CODES[status] ?? 'Error',
    timestamp: new Date().toISOString(),
    path: context.request.path,
    method: context.request.method,
  });
  return new Response(body, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extraHeaders },
  });
}
