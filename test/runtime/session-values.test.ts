import { expect } from 'chai';
import { decodeInt32, decodeString, encodeInt32, encodeString } from '../../src/runtime/session/session-values.ts';

const hex = (bytes: Buffer): string => bytes.toString('hex');
const bytesOf = (text: string): Buffer => Buffer.from(text, 'hex');

describe('session-values', () => {
  describe('encodeInt32', () => {
    const cases: [number, string][] = [
      [0, '00000000'],
      [1, '00000001'],
      [-1, 'ffffffff'],
      [10, '0000000a'],
      [-2, 'fffffffe'],
      [0x12345678, '12345678'],
      [2_147_483_647, '7fffffff'],
      [-2_147_483_648, '80000000'],
    ];
    for (const [value, expected] of cases) {
      it(`writes ${value} as ${expected}`, () => {
        expect(hex(encodeInt32(value))).to.equal(expected);
      });
    }

    it('rejects values outside Int32 and non-integers', () => {
      for (const value of [2_147_483_648, -2_147_483_649, 1.5, NaN, Infinity]) {
        expect(() => encodeInt32(value), String(value)).to.throw(RangeError, /must be an integer from -2147483648 to 2147483647/);
      }
    });
  });

  describe('decodeInt32', () => {
    it('reads big-endian two\'s complement', () => {
      expect(decodeInt32(bytesOf('00000001'))).to.equal(1);
      expect(decodeInt32(bytesOf('ffffffff'))).to.equal(-1);
      expect(decodeInt32(bytesOf('0000000a'))).to.equal(10);
      expect(decodeInt32(bytesOf('fffffffe'))).to.equal(-2);
      expect(decodeInt32(bytesOf('12345678'))).to.equal(0x12345678);
      expect(decodeInt32(bytesOf('80000000'))).to.equal(-2_147_483_648);
    });

    it('returns null when the value is missing or shorter than 4 bytes', () => {
      expect(decodeInt32(null)).to.equal(null);
      expect(decodeInt32(undefined)).to.equal(null);
      expect(decodeInt32(Buffer.alloc(0))).to.equal(null);
      expect(decodeInt32(bytesOf('000001'))).to.equal(null);
    });

    it('uses the first 4 bytes of a longer value', () => {
      expect(decodeInt32(bytesOf('0000000aff'))).to.equal(10);
      expect(decodeInt32(bytesOf('fffffffe00000001'))).to.equal(-2);
    });
  });

  describe('encodeString', () => {
    it('writes UTF-8 without a BOM', () => {
      expect(hex(encodeString('Zoë'))).to.equal('5a6fc3ab');
      expect(hex(encodeString(''))).to.equal('');
      expect(hex(encodeString('€😀'))).to.equal('e282acf09f9880');
    });

    it('keeps a U+FEFF the caller put there, but adds none', () => {
      expect(hex(encodeString('\ufeffa'))).to.equal('efbbbf61');
    });

    it('writes lone surrogates as EF BF BD', () => {
      expect(hex(encodeString('a\ud800b'))).to.equal('61efbfbd62');
      expect(hex(encodeString('\udc00'))).to.equal('efbfbd');
      expect(hex(encodeString('\udc00\ud800'))).to.equal('efbfbdefbfbd');
    });
  });

  describe('decodeString', () => {
    it('returns null when the value is missing', () => {
      expect(decodeString(null)).to.equal(null);
      expect(decodeString(undefined)).to.equal(null);
    });

    it('decodes UTF-8, including the empty value', () => {
      expect(decodeString(bytesOf('5a6fc3ab'))).to.equal('Zoë');
      expect(decodeString(bytesOf('f09f9880'))).to.equal('😀');
      expect(decodeString(Buffer.alloc(0))).to.equal('');
    });

    it('keeps a leading BOM, as Encoding.UTF8.GetString does', () => {
      expect(decodeString(bytesOf('efbbbf61'))).to.equal('\ufeffa');
    });

    it('replaces invalid sequences with U+FFFD, one per maximal subpart', () => {
      expect(decodeString(bytesOf('ff'))).to.equal('\ufffd');
      expect(decodeString(bytesOf('e282' + '41'))).to.equal('\ufffdA');
      expect(decodeString(bytesOf('c080'))).to.equal('\ufffd\ufffd');
      expect(decodeString(bytesOf('eda080'))).to.equal('\ufffd\ufffd\ufffd');
      expect(decodeString(bytesOf('61' + 'f09f98'))).to.equal('a\ufffd');
    });

    it('round-trips what encodeString writes', () => {
      const text = 'key=value; ümlaut ✓ 😀';
      expect(decodeString(encodeString(text))).to.equal(text);
    });
  });
});
