import type { Socket } from 'node:net';

/** Small enough that Redis starts on a busy turn's first commands early, large enough that the extra writes cost nothing. */
const FLUSH_AFTER_COMMANDS = 32;

/**
 * What auto-pipelining buys, without its per-command pipeline object and promises: the sockets are corked on the
 * first command of a turn and uncorked after the turn's I/O callbacks, so the commands of every request served in
 * between share writes of at most FLUSH_AFTER_COMMANDS. Cutting a busy turn into several writes lets Redis work on
 * the first of them while the server still serves the rest. A Cluster client has one socket per node, all corked
 * together. Only Node's public cork/uncork are used.
 */
export class WriteBatcher {
  /** The sockets corked for the current turn, if any, and the commands they hold, the one being sent included. */
  private corked: readonly Socket[] | undefined;
  private commandsCorked = 0;

  /** Call before writing a command; `sockets` says where the client may write it, and is asked once per turn. */
  beforeWrite(sockets: () => readonly Socket[]): void {
    if (this.corked !== undefined) {
      if (this.commandsCorked === FLUSH_AFTER_COMMANDS) {
        for (const socket of this.corked) {
          socket.uncork();
          socket.cork();
        }
        this.commandsCorked = 0;
      }
      this.commandsCorked += 1;
      return;
    }
    const corked = sockets();
    if (corked.length === 0) return;
    this.corked = corked;
    this.commandsCorked = 1;
    for (const socket of corked) socket.cork();
    setImmediate(() => {
      this.corked = undefined;
      for (const socket of corked) socket.uncork();
    });
  }
}
