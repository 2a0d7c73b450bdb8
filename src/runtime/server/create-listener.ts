import { createServer as createHttpServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { createServer as createHttp2Server, createSecureServer as createHttp2SecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { HttpProtocols } from '../host/server-definition.ts';
import type { NodeServer } from './graceful-server.ts';

/**
 * The Node server for one listener. HTTP/2 over TLS also accepts HTTP/1.1 when the protocols allow both,
 * the way Kestrel negotiates them through ALPN; HTTP/3 is not available on Node and never reaches here.
 */
export function createListener(
  protocols: HttpProtocols,
  tls: SecureContextOptions | undefined,
  listener: RequestListener,
): NodeServer {
  const http2 = protocols === 'Http2' || protocols === 'Http1AndHttp2';
  if (tls === undefined) {
    return protocols === 'Http2'
      ? (createHttp2Server(listener as never) as unknown as NodeServer)
      : createHttpServer(listener);
  }
  // https.createServer turns Nagle's algorithm off for every connection; the HTTP/2 server does not, and its
  // HTTP/1.1 responses then wait for delayed ACKs (p99 in the hundreds of milliseconds under load).
  if (http2) return createHttp2SecureServer({ ...tls, allowHTTP1: protocols === 'Http1AndHttp2', noDelay: true }, listener as never);
  return createHttpsServer(tls, listener);
}

export function listen(server: NodeServer, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
