import { expect } from 'chai';
import { Command } from 'ioredis';
import { EncodedCommand, encodeCommand } from '../../src/runtime/cache/redis/encoded-command.ts';
import type { CommandArgument } from '../../src/runtime/cache/redis/encoded-command.ts';

/** What ioredis itself would send for the same command: the oracle. */
function ioredisBytes(name: string, args: CommandArgument[]): Buffer {
  const writable = new Command(name, [...args]).toWritable({});
  return Buffer.isBuffer(writable) ? writable : Buffer.from(writable);
}

function bytesOf(writable: string | Buffer): Buffer {
  return Buffer.isBuffer(writable) ? writable : Buffer.from(writable);
}

describe('RESP command encoding', () => {
  const commands: [string, CommandArgument[]][] = [
    ['ping', []],
    ['get', ['KestrunSession_key']],
    ['evalsha', ['a'.repeat(40), 1, 'KestrunSession_key', String(Date.now())]],
    ['evalsha', ['b'.repeat(40), 1, 'Sessions_é€😀', '638987654321000000', '12000000000', Buffer.from([0, 255, 13, 10, 128]), 1200]],
    ['hset', ['k', 'absexp', '-1', 'sldexp', '-1', 'data', Buffer.alloc(0)]],
    ['set', ['', '', 'NX']],
    ['set', [Buffer.from('binary key'), Buffer.from('first'), Buffer.from('second')]],
    ['eval', ['return 1', 0]],
    ['expire', ['k', -5]],
    ['set', ['k', Buffer.alloc(70_000, 0xab)]],
  ];

  it('sends exactly the bytes ioredis would, for text, numbers, UTF-8 and binary arguments', () => {
    for (const [name, args] of commands) {
      expect(bytesOf(encodeCommand(name, args)).equals(ioredisBytes(name, args)), `${name} ${args.length} argument(s)`).to.equal(true);
    }
  });

  it('stays a string when no argument is binary, and is one Buffer otherwise', () => {
    expect(encodeCommand('get', ['key'])).to.equal('*2\r\n$3\r\nget\r\n$3\r\nkey\r\n');
    expect(Buffer.isBuffer(encodeCommand('set', ['key', Buffer.from('v')]))).to.equal(true);
  });

  it('is a Command that hands ioredis the encoded bytes and keeps its arguments for error reports', async () => {
    const command = new EncodedCommand('get', ['key'], 'utf8');
    expect(command.toWritable()).to.equal('*2\r\n$3\r\nget\r\n$3\r\nkey\r\n');
    expect(command.args).to.deep.equal(['key']);
    command.resolve(Buffer.from('value'));
    expect(await command.promise).to.equal('value');
  });

  it('keeps a copy of its arguments, so that changing the caller\'s array later changes nothing', () => {
    const args: CommandArgument[] = ['key', 'value'];
    const command = new EncodedCommand('set', args, 'utf8');
    args[0] = 'other';
    expect(command.args).to.deep.equal(['key', 'value']);
  });

  it('lies in the Cluster slot ioredis computes, for its one-key scripts and for every other command', () => {
    for (const [name, args] of commands) {
      const expected = new Command(name, [...args]).getSlot();
      expect(new EncodedCommand(name, args, null).getSlot(), `${name} ${String(args[0])}`).to.equal(expected);
    }
    // Hash tags: only the part between the first { and the next } is hashed.
    const tagged = new EncodedCommand('evalsha', ['c'.repeat(40), 1, 'KestrunSession_{user42}.cart', 1], null);
    expect(tagged.getSlot()).to.equal(new Command('get', ['{user42}']).getSlot());
  });
});
