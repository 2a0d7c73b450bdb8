import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';

export type NodeServer = HttpServer | Http2SecureServer;

/**
 * Node's HTTP/1.1 server keeps the response it is writing on the socket as `_httpMessage`, from the request's arrival
 * until the response has finished (assignSocket and detachSocket in _http_server), as connection-draining libraries
 * such as http-terminator rely on. Reading it costs nothing per request; a 'request' listener of our own made Node
 * call and copy two listeners for every request.
 */
type HttpSocket = Socket & { readonly _httpMessage?: ServerResponse | null };

/** A connection is busy while a response is in flight on it and has not been destroyed. */
function isBusy(socket: Socket): boolean {
  const response = (socket as HttpSocket)._httpMessage;
  return response !== undefined && response !== null && !response.writableFinished && !response.destroyed;
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
