import type { Socket } from 'node:net';

/** Small enough that Redis starts on a busy turn's first commands early, large enough that the extra writes cost nothing. */
const FLUSH_AFTER_COMMANDS = 32;

/**
 * What auto-pipelining buys, without its per-command pipeline object and promises: the socket is corked on the
 * first command of a turn and uncorked after the turn's I/O callbacks, so the commands of every request served in
 * between share writes of at most FLUSH_AFTER_COMMANDS. Cutting a busy turn into several writes lets Redis work on
 * the first of them while the server still serves the rest. Only Node's public cork/uncork are used.
 */
export class WriteBatcher {
  /** The socket corked for the current turn, if any, and the commands it holds, the one being sent included. */
  private corked: Socket | undefined;
  private commandsCorked = 0;

  /** Call before writing a command to `socket` (undefined when the client has no single socket). */
  beforeWrite(socket: Socket | undefined): void {
    if (this.corked !== undefined) {
      if (this.commandsCorked === FLUSH_AFTER_COMMANDS) {
        this.corked.uncork();
        this.corked.cork();
        this.commandsCorked = 0;
      }
      this.commandsCorked += 1;
      return;
    }
    if (socket === undefined) return;
    this.corked = socket;
    this.commandsCorked = 1;
    socket.cork();
    setImmediate(() => {
      this.corked = undefined;
      socket.uncork();
    });
  }
}
