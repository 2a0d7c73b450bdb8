import { clusterSlot } from './cluster-slot.ts';
import { Command } from './ioredis.ts';

export type CommandArgument = string | number | Buffer;

const NO_ARGUMENTS: CommandArgument[] = [];

/**
 * An ioredis command whose RESP bytes are built here, in one pass, through Command's public toWritable. ioredis's own
 * Command flattens and re-checks its arguments, and for a command with a Buffer argument (a session commit) joins a
 * dozen pieces, measuring each twice: about three times the work. The bytes are the same.
 */
export class EncodedCommand extends Command {
  private readonly encoded: string | Buffer;

  constructor(name: string, args: CommandArgument[], replyEncoding: 'utf8' | null) {
    super(name, NO_ARGUMENTS, { replyEncoding });
    // For what ioredis reads of a command (its Cluster slot, its error reports); the bytes sent are `encoded`. A copy, as
    // ioredis's own Command keeps: holding the caller's array made V8 allocate such arrays in the old generation (its
    // allocation-site pretenuring), and every request's key and blob then outlived young-generation collections.
    this.args = args.slice();
    this.encoded = encodeCommand(name, args);
  }

  /**
   * EVAL and EVALSHA with one key, the hot path's commands, have it as their third argument. ioredis's generic lookup
   * (which every other command keeps) stores arrays on each command, and V8 then allocated those in the old generation.
   */
  override getSlot(): number {
    const key = this.args[2];
    const oneKeyScript = (this.name === 'evalsha' || this.name === 'eval') && this.args[1] === 1;
    if (oneKeyScript && (typeof key === 'string' || Buffer.isBuffer(key))) return clusterSlot(key);
    return super.getSlot();
  }

  override toWritable(): string | Buffer {
    return this.encoded;
  }
}

/**
 * A RESP array of bulk strings. Text only, it stays a string: the socket encodes strings natively when it writes.
 * With Buffers among the arguments, it is one Buffer: the text around each Buffer is written in one piece.
 */
export function encodeCommand(name: string, args: readonly CommandArgument[]): string | Buffer {
  let text = `*${args.length + 1}\r\n$${Buffer.byteLength(name)}\r\n${name}\r\n`;
  let pieces: (string | Buffer)[] | undefined;
  for (const argument of args) {
    if (Buffer.isBuffer(argument)) {
      text += `$${argument.length}\r\n`;
      (pieces ??= []).push(text, argument);
      text = '\r\n';
    } else {
      const value = typeof argument === 'string' ? argument : String(argument);
      text += `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
    }
  }
  if (pieces === undefined) return text;
  pieces.push(text);
  let size = 0;
  for (const piece of pieces) size += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const piece of pieces) offset += typeof piece === 'string' ? bytes.write(piece, offset) : piece.copy(bytes, offset);
  return bytes;
}
