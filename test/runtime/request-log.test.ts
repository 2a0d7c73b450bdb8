import { expect } from 'chai';
import { formatMilliseconds } from '../../src/runtime/pipeline/request-log.ts';

describe('formatMilliseconds (the duration in the per-request Debug line)', () => {
  it('gives three decimals, padded, as toFixed(3) does', () => {
    expect(formatMilliseconds(0)).to.equal('0.000');
    expect(formatMilliseconds(0.0004)).to.equal('0.000');
    expect(formatMilliseconds(0.007)).to.equal('0.007');
    expect(formatMilliseconds(0.05)).to.equal('0.050');
    expect(formatMilliseconds(1.5)).to.equal('1.500');
    expect(formatMilliseconds(6.3674)).to.equal('6.367');
    expect(formatMilliseconds(12_345.6789)).to.equal('12345.679');
  });

  it('carries a rounded-up fraction into the whole milliseconds', () => {
    expect(formatMilliseconds(0.9996)).to.equal('1.000');
    expect(formatMilliseconds(41.99951)).to.equal('42.000');
  });

  it('agrees with toFixed(3) on durations as performance.now() differences come', () => {
    const origin = 1_234.567_891;
    for (let step = 0; step < 20_000; step++) {
      const duration = origin + step * 0.000_731 - origin;
      // Only an exact half microsecond may round the other way, and none of these durations is one.
      expect(formatMilliseconds(duration), String(duration)).to.equal(duration.toFixed(3));
    }
  });
});
