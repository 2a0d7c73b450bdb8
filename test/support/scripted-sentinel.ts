/**
 * A stand-in for a Redis Sentinel that the test drives: it names whichever primary the test sets, and can hold its
 * answer to a client's question for the primary while it publishes +switch-master, which a real Sentinel only does
 * at a moment the test cannot choose. It speaks just the RESP2 that ioredis's SentinelConnector and failover
 * detector send: HELLO (refused, so ioredis falls back to RESP2), AUTH, CLIENT, SENTINEL and SUBSCRIBE.
 *
 *   const sentinel = await startScriptedSentinel({ host: '127.0.0.1', port: primary.port });
 *   sentinel.beforeNextAnswer = () => sentinel.publishSwitch();
 */
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface SentinelAddress {
  readonly host: string;
  readonly port: number;
}

export interface ScriptedSentinel {
  readonly port: number;
  /** What SENTINEL GET-MASTER-ADDR-BY-NAME answers, for any service name. */
  primary: SentinelAddress;
  /** Runs once, when the next GET-MASTER-ADDR-BY-NAME arrives; the answer leaves when its promise settles. */
  beforeNextAnswer: (() => Promise<void>) | undefined;
  /** Clients subscribed to +switch-master. */
  subscribers(): number;
  /** Publishes +switch-master to every subscriber, naming `primary`. */
  publishSwitch(): void;
  close(): Promise<void>;
}

const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
const array = (items: readonly string[]): string => `*${items.length}\r\n${items.map(bulk).join('')}`;

/** The complete commands at the start of `buffer` (arrays of bulk strings), and the bytes that follow them. */
function parseCommands(buffer: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let offset = 0;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(buffer.slice(offset));
    if (header === null) break;
    let cursor = offset + header[0].length;
    const command: string[] = [];
    for (let index = 0; index < Number(header[1]); index++) {
      const length = /^\$(\d+)\r\n/.exec(buffer.slice(cursor));
      const end = length === null ? -1 : cursor + length[0].length + Number(length[1]);
      if (length === null || end + 2 > buffer.length) return { commands, rest: buffer.slice(offset) };
      command.push(buffer.slice(cursor + length[0].length, end));
      cursor = end + 2;
    }
    commands.push(command);
    offset = cursor;
  }
  return { commands, rest: buffer.slice(offset) };
}

export function startScriptedSentinel(primary: SentinelAddress): Promise<ScriptedSentinel> {
  const sockets = new Set<Socket>();
  const subscribed = new Set<Socket>();
  let port = 0;
  const sentinel: ScriptedSentinel = {
    get port() {
      return port;
    },
    primary,
    beforeNextAnswer: undefined,
    subscribers: () => subscribed.size,
    publishSwitch() {
      const message = `kestrun 127.0.0.1 0 ${sentinel.primary.host} ${sentinel.primary.port}`;
      for (const socket of subscribed) socket.write(array(['message', '+switch-master', message]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const answer = async (socket: Socket, [name = '', ...args]: string[]): Promise<void> => {
    const command = name.toLowerCase();
    const subcommand = (args[0] ?? '').toLowerCase();
    if (command === 'hello') return void socket.write('-NOPROTO unsupported protocol version\r\n');
    if (command === 'auth' || command === 'client') return void socket.write('+OK\r\n');
    if (command === 'subscribe') {
      subscribed.add(socket);
      return void socket.write(`*3\r\n${bulk('subscribe')}${bulk(args[0] ?? '')}:1\r\n`);
    }
    if (command === 'sentinel' && subcommand === 'sentinels') return void socket.write('*0\r\n');
    if (command === 'sentinel' && subcommand === 'get-master-addr-by-name') {
      const hold = sentinel.beforeNextAnswer;
      sentinel.beforeNextAnswer = undefined;
      await hold?.();
      return void socket.write(array([sentinel.primary.host, String(sentinel.primary.port)]));
    }
    socket.write(`-ERR the scripted Sentinel does not know '${name}'\r\n`);
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    // Answers leave in the order the commands came, even when one of them is held.
    let answered = Promise.resolve();
    socket.on('data', (chunk) => {
      const { commands, rest } = parseCommands(pending + chunk.toString('latin1'));
      pending = rest;
      for (const command of commands) answered = answered.then(() => answer(socket, command));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      subscribed.delete(socket);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve(sentinel);
    });
  });
}
