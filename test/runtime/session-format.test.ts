import { expect } from 'chai';
import {
  MAX_ENTRIES,
  MAX_KEY_UTF8_LENGTH,
  MAX_SERIALIZED_SESSION_BYTES,
  MAX_VALUE_LENGTH,
  SessionLimitError,
  createSessionKey,
  deserializeSession,
  formatGuid,
  serializeSession,
} from '../../src/runtime/session/session-format.ts';
import { encodeInt32, encodeString } from '../../src/runtime/session/session-values.ts';

const ID = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const SPEC_EXAMPLE_HEX =
  '02000002000102030405060708090a0b0c0d0e0f00034b6579000000040000000a00046e616d65000000045a6fc3ab';

function entriesOf(...pairs: [string, Buffer][]): Map<string, Buffer> {
  return new Map(pairs);
}

/** A buffer that claims a length it does not have, to reach limits without allocating gigabytes. */
function bufferClaimingLength(length: number): Buffer {
  return Object.defineProperty(Buffer.alloc(0), 'length', { value: length });
}

describe('session-format', () => {
  describe('limits', () => {
    it('match the format field widths', () => {
      expect(MAX_KEY_UTF8_LENGTH).to.equal(65_535);
      expect(MAX_ENTRIES).to.equal(16_777_215);
      expect(MAX_VALUE_LENGTH).to.equal(2_147_483_647);
      expect(MAX_SERIALIZED_SESSION_BYTES).to.equal(16 * 1024 * 1024);
    });

    it('SessionLimitError is a RangeError with its own name', () => {
      const error = new SessionLimitError('too big');
      expect(error).to.be.instanceOf(RangeError);
      expect(error.name).to.equal('SessionLimitError');
      expect(error.message).to.equal('too big');
    });
  });

  describe('serializeSession', () => {
    it('writes the spec example byte for byte', () => {
      const blob = serializeSession(ID, entriesOf(['Key', encodeInt32(10)], ['name', encodeString('Zoë')]));
      expect(blob.toString('hex')).to.equal(SPEC_EXAMPLE_HEX);
      expect(blob.length).to.equal(47);
    });

    it('writes an empty session as 20 bytes', () => {
      const blob = serializeSession(ID, new Map());
      expect(blob.toString('hex')).to.equal('02000000000102030405060708090a0b0c0d0e0f');
    });

    it('writes every byte even when the allocation pool holds garbage', () => {
      Buffer.allocUnsafe(4096).fill(0xee);
      for (let i = 0; i < 50; i++) Buffer.allocUnsafe(47).fill(0xee);
      const blob = serializeSession(ID, entriesOf(['Key', encodeInt32(10)], ['name', encodeString('Zoë')]));
      expect(blob.toString('hex')).to.equal(SPEC_EXAMPLE_HEX);
    });

    it('writes the entry count in three big-endian bytes', () => {
      const entries = new Map<string, Buffer>();
      for (let i = 0; i < 0x10203; i++) entries.set(String(i), Buffer.alloc(0));
      const blob = serializeSession(ID, entries);
      expect(blob.subarray(0, 4).toString('hex')).to.equal('02010203');
    });

    it('counts key length in UTF-8 bytes, not UTF-16 units', () => {
      const blob = serializeSession(ID, entriesOf(['é€😀', Buffer.from([7])]));
      expect(blob.subarray(20).toString('hex')).to.equal('0009' + 'c3a9e282acf09f9880' + '00000001' + '07');
    });

    it('writes a lone surrogate in a key as EF BF BD', () => {
      const blob = serializeSession(ID, entriesOf(['a\ud800', Buffer.alloc(0)]));
      expect(blob.subarray(20).toString('hex')).to.equal('0004' + '61efbfbd' + '00000000');
    });

    it('accepts a key of exactly 65,535 UTF-8 bytes', () => {
      const key = 'k'.repeat(MAX_KEY_UTF8_LENGTH);
      const blob = serializeSession(ID, entriesOf([key, Buffer.alloc(0)]));
      expect(blob.readUInt16BE(20)).to.equal(MAX_KEY_UTF8_LENGTH);
      expect(blob.length).to.equal(20 + 2 + MAX_KEY_UTF8_LENGTH + 4);
    });

    it('rejects a key longer than 65,535 UTF-8 bytes with the ASP.NET message', () => {
      const key = 'é'.repeat(32_768);
      expect(() => serializeSession(ID, entriesOf([key, Buffer.alloc(0)])))
        .to.throw(SessionLimitError, "The key cannot be longer than '65535' when encoded with UTF-8.");
    });

    it('rejects more than 16,777,215 entries', () => {
      const entries = new Map<string, Buffer>();
      Object.defineProperty(entries, 'size', { value: MAX_ENTRIES + 1 });
      expect(() => serializeSession(ID, entries)).to.throw(SessionLimitError, /16777215 entries/);
    });

    it('rejects a value longer than 2,147,483,647 bytes', () => {
      const entries = entriesOf(['big', bufferClaimingLength(MAX_VALUE_LENGTH + 1)]);
      expect(() => serializeSession(ID, entries)).to.throw(SessionLimitError, /'big' is 2147483648 bytes/);
    });

    it('accepts a session of exactly MAX_SERIALIZED_SESSION_BYTES and rejects one byte more', () => {
      const overhead = 20 + 2 + 1 + 4;
      const fits = entriesOf(['v', Buffer.alloc(MAX_SERIALIZED_SESSION_BYTES - overhead)]);
      expect(serializeSession(ID, fits).length).to.equal(MAX_SERIALIZED_SESSION_BYTES);
      const tooBig = entriesOf(['v', Buffer.alloc(MAX_SERIALIZED_SESSION_BYTES - overhead + 1)]);
      expect(() => serializeSession(ID, tooBig)).to.throw(SessionLimitError, /16777217 bytes/);
    });

    it('rejects an id that is not 16 bytes', () => {
      expect(() => serializeSession(Buffer.alloc(15), new Map())).to.throw(RangeError, /16 bytes, got 15/);
    });
  });

  describe('deserializeSession', () => {
    it('reads the spec example', () => {
      const session = deserializeSession(Buffer.from(SPEC_EXAMPLE_HEX, 'hex'));
      expect(session).to.not.equal(null);
      expect(session?.id.toString('hex')).to.equal(ID.toString('hex'));
      expect([...(session?.entries.keys() ?? [])]).to.deep.equal(['Key', 'name']);
      expect(session?.entries.get('Key')?.toString('hex')).to.equal('0000000a');
      expect(session?.entries.get('name')?.toString('utf8')).to.equal('Zoë');
    });

    it('round-trips keys that differ only in case, empty values and non-ASCII keys', () => {
      const entries = entriesOf(
        ['KEY', Buffer.from('upper')],
        ['key', Buffer.from('lower')],
        ['', Buffer.alloc(0)],
        ['ключ', Buffer.from([0, 255, 1])],
      );
      const session = deserializeSession(serializeSession(ID, entries));
      expect(session?.entries).to.deep.equal(entries);
    });

    it('returns null for an unknown revision or an empty blob', () => {
      const revision1 = Buffer.from(SPEC_EXAMPLE_HEX, 'hex');
      revision1[0] = 1;
      expect(deserializeSession(revision1)).to.equal(null);
      expect(deserializeSession(Buffer.from([3]))).to.equal(null);
      expect(deserializeSession(Buffer.alloc(0))).to.equal(null);
    });

    it('lets the last of duplicate keys win', () => {
      const blob = Buffer.concat([
        Buffer.from('02000002', 'hex'),
        ID,
        Buffer.from('0001' + '61' + '00000001' + '01', 'hex'),
        Buffer.from('0001' + '61' + '00000001' + '02', 'hex'),
      ]);
      const session = deserializeSession(blob);
      expect(session?.entries.size).to.equal(1);
      expect(session?.entries.get('a')?.toString('hex')).to.equal('02');
    });

    it('ignores trailing bytes', () => {
      const blob = Buffer.concat([Buffer.from(SPEC_EXAMPLE_HEX, 'hex'), Buffer.from('deadbeef', 'hex')]);
      const session = deserializeSession(blob);
      expect(session?.entries.size).to.equal(2);
      expect(session?.entries.get('name')?.toString('utf8')).to.equal('Zoë');
    });

    it('throws a clear error for a blob truncated anywhere', () => {
      const full = Buffer.from(SPEC_EXAMPLE_HEX, 'hex');
      for (let length = 1; length < full.length; length++) {
        expect(() => deserializeSession(full.subarray(0, length)), `length ${length}`)
          .to.throw(Error, /^Session blob is truncated: \d+ bytes needed at offset \d+, but the blob is \d+ bytes long\.$/);
      }
    });

    it('names the exact shortfall of a truncated blob', () => {
      const blob = Buffer.from(SPEC_EXAMPLE_HEX, 'hex').subarray(0, 40);
      expect(() => deserializeSession(blob)).to.throw(
        'Session blob is truncated: 4 bytes needed at offset 39, but the blob is 40 bytes long.',
      );
    });

    it('throws for a value length above 2,147,483,647', () => {
      const blob = Buffer.concat([Buffer.from('02000001', 'hex'), ID, Buffer.from('0001' + '61' + '80000000', 'hex')]);
      expect(() => deserializeSession(blob)).to.throw(Error, /corrupt: entry 0 declares a value of 2147483648 bytes/);
    });

    it('decodes invalid UTF-8 in keys with U+FFFD', () => {
      const blob = Buffer.concat([Buffer.from('02000001', 'hex'), ID, Buffer.from('0002' + 'ff61' + '00000000', 'hex')]);
      expect([...(deserializeSession(blob)?.entries.keys() ?? [])]).to.deep.equal(['\ufffda']);
    });

    it('returns values that do not share memory with the input blob', () => {
      const blob = Buffer.from(SPEC_EXAMPLE_HEX, 'hex');
      const session = deserializeSession(blob);
      session?.entries.get('Key')?.fill(0xff);
      session?.id.fill(0xff);
      expect(blob.toString('hex')).to.equal(SPEC_EXAMPLE_HEX);
    });
  });

  describe('formatGuid', () => {
    it('writes the first three groups little-endian, like .NET', () => {
      expect(formatGuid(ID)).to.equal('03020100-0504-0706-0809-0a0b0c0d0e0f');
    });

    it('writes lowercase hex', () => {
      expect(formatGuid(Buffer.from('a0b1c2d3e4f5a6b7c8d9eaebecedeeef', 'hex'))).to.equal(
        'd3c2b1a0-f5e4-b7a6-c8d9-eaebecedeeef',
      );
    });

    it('rejects anything but 16 bytes', () => {
      expect(() => formatGuid(Buffer.alloc(17))).to.throw(RangeError, /16 bytes, got 17/);
    });
  });

  describe('createSessionKey', () => {
    it('returns a 36-character lowercase .NET Guid string', () => {
      expect(createSessionKey()).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('returns a different key each time, with random version and variant nibbles', () => {
      const keys = Array.from({ length: 200 }, createSessionKey);
      expect(new Set(keys).size).to.equal(keys.length);
      // randomUUID would fix these two positions to '4' and one of 89ab; raw random bytes do not.
      expect(new Set(keys.map((key) => key[14])).size).to.be.greaterThan(1);
      expect(new Set(keys.map((key) => key[19])).size).to.be.greaterThan(4);
    });
  });
});
