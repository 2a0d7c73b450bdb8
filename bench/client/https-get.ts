/**
 * The bench's own HTTPS client for checks and session set-up. It trusts any certificate: kestrun-ts serves its own
 * self-signed one, and what is checked here is behaviour, not the certificate.
 */
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpsResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });

export function httpsGet(url: string, cookie?: string): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers: cookie === undefined ? {} : { cookie } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('error', reject);
      incoming.once('end', () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.setTimeout(REQUEST_TIMEOUT_MS, () => outgoing.destroy(new Error(`${url} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** Lets the bench exit promptly: idle keep-alive sockets would otherwise hold the event loop open. */
export function closeIdleConnections(): void {
  agent.destroy();
}
