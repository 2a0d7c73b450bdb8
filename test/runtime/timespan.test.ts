import { expect } from 'chai';
import { ConversionFailure } from '../../src/runtime/binding/conversion-failure.ts';
import { convertToTimeSpanMs } from '../../src/runtime/binding/timespan.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function failure(value: unknown): ConversionFailure {
  try {
    convertToTimeSpanMs(value);
  } catch (error) {
    expect(error).to.be.instanceOf(ConversionFailure);
    return error as ConversionFailure;
  }
  throw new Error(`expected ${String(value)} to be rejected`);
}

describe("convertToTimeSpanMs (Kestrun's ConvertTo-TimeSpan)", () => {
  describe('numbers are seconds', () => {
    for (const [input, expected] of [
      [90, 90 * SECOND],
      [0, 0],
      [1.5, 1500],
      [0.25, 250],
      [-5, -5 * SECOND],
      [86_400, DAY],
    ] as const) {
      it(`${input} → ${expected} ms`, () => {
        expect(convertToTimeSpanMs(input)).to.equal(expected);
      });
    }

    for (const input of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
      it(`rejects ${input}`, () => {
        expect(failure(input).message).to.equal('Cannot convert value of type [System.Double] to [TimeSpan].');
      });
    }
  });

  describe('strings are first read as .NET TimeSpans', () => {
    for (const [input, expected] of [
      // The gotcha the spec warns about: a bare number in a string is DAYS, not seconds.
      ['90', 90 * DAY],
      ['0', 0],
      ['-2', -2 * DAY],
      ['00:30:00', 30 * MINUTE],
      ['01:30', HOUR + 30 * MINUTE],
      ['1.02:03:04', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
      ['00:00:01.5', 1500],
      ['00:00:00.1234567', 123.4567],
      ['-00:01:00', -MINUTE],
      ['  00:00:10  ', 10 * SECOND],
    ] as const) {
      it(`${JSON.stringify(input)} → ${expected} ms`, () => {
        expect(convertToTimeSpanMs(input)).to.equal(expected);
      });
    }

    for (const input of ['24:00:00', '00:60:00', '00:00:60', '1:2:3:4']) {
      it(`rejects the out-of-range or malformed ${JSON.stringify(input)}`, () => {
        expect(failure(input).message).to.equal(
          `Invalid TimeSpan format: '${input}'. Use a TimeSpan string such as '00:30:00', seconds as a number, or compact tokens such as '1d2h30m15s250ms'.`,
        );
      });
    }
  });

  describe('then as compact tokens in the fixed order d, h, m, s, ms', () => {
    for (const [input, expected] of [
      ['1d2h30m15s250ms', DAY + 2 * HOUR + 30 * MINUTE + 15 * SECOND + 250],
      ['30m', 30 * MINUTE],
      ['45s', 45 * SECOND],
      ['250ms', 250],
      ['2h', 2 * HOUR],
      ['1d', DAY],
      ['1h30m', HOUR + 30 * MINUTE],
      ['1m500ms', MINUTE + 500],
      ['1.5h', 1.5 * HOUR],
      ['2H15M', 2 * HOUR + 15 * MINUTE],
    ] as const) {
      it(`${JSON.stringify(input)} → ${expected} ms`, () => {
        expect(convertToTimeSpanMs(input)).to.equal(expected);
      });
    }

    for (const input of ['30m1h', '15s2m', '250ms1s', '1w', '5 minutes', '', '   ', 'abc', '1d 2h', '-30m', 'ms']) {
      it(`rejects ${JSON.stringify(input)} (the order is enforced, as Kestrun's regex does)`, () => {
        expect(failure(input).message).to.match(/^Invalid TimeSpan format: '.*'\. Use a TimeSpan string such as '00:30:00'/);
      });
    }
  });

  describe('other types', () => {
    for (const [label, input, typeName] of [
      ['a Date (Kestrun rejects DateTime too)', new Date(0), 'Date'],
      ['a boolean', true, 'System.Boolean'],
      ['null', null, 'null'],
      // undefined must fail as a conversion, not crash while naming its type.
      ['undefined', undefined, 'null'],
      ['an array', [1, 2], 'System.Object[]'],
      ['an object', { seconds: 5 }, 'Object'],
      ['a bigint', 5n, 'BigInt'],
    ] as const) {
      it(`rejects ${label}, naming its type`, () => {
        const error = failure(input);
        expect(error.message).to.equal(`Cannot convert value of type [${typeName}] to [TimeSpan].`);
      });
    }
  });
});
