import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { NodeResponse } from './write-response.ts';

/**
 * What @hono/node-server passes a Hono app as its env: Node's own request and response objects. Hono types the env
 * as unknown, and a Request fetched without Node (a test calling app.fetch) has none.
 */
export interface NodeBindings {
  readonly incoming?: IncomingMessage | Http2ServerRequest;
  readonly outgoing?: NodeResponse;
}
