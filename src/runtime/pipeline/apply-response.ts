import type { KrResponse } from '../context/kr-response.ts';

/**
 * The headers of a buffered KrResponse as a plain object: lower-case names, Set-Cookie as
 * a list, other repeated headers joined with commas.
 */
export function responseHeaders(response: KrResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (response.contentType !== null) headers['content-type'] = response.contentType;
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase();
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[key] = key === 'set-cookie' ? [existing, value] : `${existing}, ${value}`;
  }
  return headers;
}

/**
 * Turns the buffered KrResponse into the Response Hono sends. Headers go in as a plain object, which keeps
 * @hono/node-server on its fast path (no Headers instance, no clone).
 */
export function toResponse(response: KrResponse): Response {
  return new Response(response.body, { status: response.statusCode, headers: responseHeaders(response) as Record<string, string> });
}
