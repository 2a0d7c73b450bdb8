import { expect } from 'chai';
import { findCookie, parseCookieHeader } from '../../src/runtime/context/kr-request.ts';

describe('request cookies', () => {
  const headers = [
    'Kr.Session=abc',
    'a=1; Kr.Session=abc; b=2',
    'KR.SESSION=upper; kr.session=lower',
    'kr.session=first; other=x; Kr.Session=last',
    'kr.session=kept; kr.session=',
    '  kr.session  =  spaced  ; x=y',
    'kr.session=a%20b',
    'kr.session=%E0%A4%A',
    '=orphan; kr.session=v',
    ' =blank-name; kr.session=v',
    'novalue; kr.session=v; trailing',
    'kr.session=v=with=equals',
    'kr.sessionx=no; xkr.session=no',
    ';;; kr.session=v;;;',
    '',
  ];

  it('finds the one cookie exactly as the full parse has it, for every header shape', () => {
    for (const header of headers) {
      for (const name of ['kr.session', 'a', 'b', 'other', 'x', 'missing', '']) {
        expect(findCookie(header, name), `${name} in "${header}"`).to.equal(parseCookieHeader(header)[name]);
      }
    }
  });

  it('compares names case-insensitively and lets the last non-empty duplicate win', () => {
    expect(findCookie('KR.SESSION=upper; kr.session=lower', 'kr.session')).to.equal('lower');
    expect(findCookie('kr.session=kept; kr.session=', 'kr.session')).to.equal('kept');
  });

  it('decodes percent escapes and leaves malformed ones as they are, as .NET does', () => {
    expect(findCookie('kr.session=a%20b', 'kr.session')).to.equal('a b');
    expect(findCookie('kr.session=%E0%A4%A', 'kr.session')).to.equal('%E0%A4%A');
  });

  it('finds nothing without a header, for an empty name, or for a name that only starts or ends the same', () => {
    expect(findCookie(undefined, 'kr.session')).to.equal(undefined);
    expect(findCookie(' =v; x=1', '')).to.equal(undefined);
    expect(findCookie('kr.sessionx=no; xkr.session=no', 'kr.session')).to.equal(undefined);
  });
});
