import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/**
 * What @hono/node-server passes a Hono app as its env: Node's own request and response objects. Hono types the env
 * as unknown, and a Request fetched without Node (a test calling app.fetch) has none.
 */
export interface NodeBindings {
  readonly incoming?: IncomingMessage | Http2ServerRequest;
  readonly outgoing?: ServerResponse | Http2ServerResponse;
}
