import { expect } from 'chai';
import { parseOptions } from '../../bench/options.ts';
import type { BenchOptions } from '../../bench/options.ts';

function parsed(argv: readonly string[]): BenchOptions {
  const options = parseOptions(argv);
  if (options === 'help') throw new Error('expected options, got help');
  return options;
}

describe('bench options: --route', () => {
  it('counts /hello unless told otherwise', () => {
    expect(parsed(['--instructions']).route).to.equal('/hello');
  });

  it('takes a session route by name for the instructions mode', () => {
    expect(parsed(['--instructions', '--route', 'counter']).route).to.equal('/session/counter');
    expect(parsed(['--instructions', '--route', 'get']).route).to.equal('/session/get?key=color');
  });

  it('refuses a route it does not know, naming the ones it does', () => {
    expect(() => parseOptions(['--instructions', '--route', 'login'])).to.throw('--route takes one of hello, counter, get, not "login".');
  });

  it('refuses --route outside the instructions mode, where every route is measured anyway', () => {
    expect(() => parseOptions(['--route', 'counter'])).to.throw('--route is for the instructions mode (--instructions).');
  });
});
