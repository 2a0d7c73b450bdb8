import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { KrResponse } from '../context/kr-response.ts';
import { responseHeaders } from './apply-response.ts';

/** Node's response object for one request, HTTP/1.1 or HTTP/2. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * Sends a buffered KrResponse through Node's own response object, as @hono/node-server sends the Response made of
 * it: the same headers, Content-Length for a body, Node's Date. Throws what Node throws for a header it refuses
 * (a control character in a value) before anything is sent.
 */
export function writeResponse(outgoing: NodeResponse, response: KrResponse): void {
  const headers = responseHeaders(response);
  const body = response.body;
  if (body !== null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  (outgoing as ServerResponse).writeHead(response.statusCode, headers);
  if (body === null) outgoing.end();
  else outgoing.end(body);
}

/**
 * Clears what a refused writeHead may have left behind (Node's HTTP/2 response keeps the headers it accepted before
 * the bad one), so that an error response can be written in its place.
 */
export function discardHeaders(outgoing: NodeResponse): void {
  for (const name of outgoing.getHeaderNames()) outgoing.removeHeader(name);
}
