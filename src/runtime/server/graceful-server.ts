import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

export type NodeServer = HttpServer | Http2SecureServer;

/**
 * Closes the HTTP/1.1 connections with no response in flight; HTTP/2 sessions are closed above. Http2SecureServer has
 * the method too when it accepts HTTP/1.1 (Node 20.12), though @types/node does not declare it there.
 */
function closeIdleConnections(server: NodeServer): void {
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}

/**
 * Tracks a server's connections so that it can stop the way Kestrel does: stop accepting, let requests in
 * flight finish within a grace period, close idle keep-alive connections at once, and cut what is left when
 * the grace period ends.
 */
export class GracefulServer {
  /** Every TCP connection, handshaken or not, so that the deadline can cut all of them. */
  private readonly connections = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();

  constructor(readonly server: NodeServer) {
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
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
      const closeIdle = (): void => closeIdleConnections(this.server);
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
}
