import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';

export type NodeServer = HttpServer | Http2SecureServer;

const LATEST_RESPONSE = Symbol('kestrun-ts.latestResponse');
type TrackedSocket = Socket & { [LATEST_RESPONSE]?: ServerResponse };

/** A connection is busy while its latest response is neither fully written nor destroyed. */
function isBusy(socket: Socket): boolean {
  const response = (socket as TrackedSocket)[LATEST_RESPONSE];
  return response !== undefined && !response.writableFinished && !response.destroyed;
}

/**
 * Tracks a server's connections so that it can stop the way Kestrel does: stop accepting, let requests in
 * flight finish within a grace period, close idle keep-alive connections at once, and cut what is left when
 * the grace period ends.
 */
export class GracefulServer {
  /** Every TCP connection, handshaken or not, so that the deadline can cut all of them. */
  private readonly connections = new Set<Socket>();
  /** Connections that carry requests: the TLS socket on a TLS server, as request.socket is. */
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();

  constructor(readonly server: NodeServer) {
    const track = (set: Set<Socket>) => (socket: Socket) => {
      set.add(socket);
      socket.once('close', () => set.delete(socket));
    };
    server.on('connection', track(this.connections));
    server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', track(this.sockets));
    server.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    // HTTP/1.1 answers a connection's requests in order, so its latest response tells whether it is busy. A property
    // on the socket costs less per request than a listener on every response.
    server.on('request', (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => {
      if (request.httpVersionMajor < 2) (request.socket as TrackedSocket)[LATEST_RESPONSE] = response as ServerResponse;
    });
  }

  /** Resolves once every connection is closed; requests in flight get at most `graceMs` to finish. */
  stop(graceMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let finished = false;
      const done = (): void => {
        if (finished) return;
        finished = true;
        clearInterval(sweeper);
        clearTimeout(deadline);
        resolve();
      };
      this.server.close(() => done());
      for (const session of this.sessions) session.close();
      const closeIdle = (): void => {
        for (const socket of this.sockets) {
          if (!isBusy(socket) && !this.isHttp2(socket)) socket.destroy();
        }
      };
      closeIdle();
      const sweeper = setInterval(closeIdle, 50);
      const deadline = setTimeout(() => {
        for (const session of this.sessions) session.destroy();
        for (const socket of this.connections) socket.destroy();
      }, graceMs);
      deadline.unref();
      if (!this.server.listening && this.connections.size === 0) done();
    });
  }

  private isHttp2(socket: Socket): boolean {
    return (socket as TLSSocket).alpnProtocol === 'h2';
  }
}
