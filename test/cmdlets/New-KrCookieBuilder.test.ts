import { expect } from 'chai';
import { addKrMapRoute, addKrSession, KrCmdletError, newKrCookieBuilder, setKrSessionInt32 } from '../../src/index.ts';
import type { CookieBuilder } from '../../src/index.ts';
import { defaultCookieBuilder } from '../../src/runtime/cookies/cookie-builder.ts';
import { fetchUrl } from '../support/https-client.ts';
import { startInProcess } from '../support/in-process-server.ts';
import type { InProcessServer } from '../support/in-process-server.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The error a call throws, asserting that it is one, so tests can inspect its message and parameter. */
function errorOf(run: () => unknown): KrCmdletError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(KrCmdletError);
    return error as KrCmdletError;
  }
  expect.fail('expected the call to throw');
}

describe('New-KrCookieBuilder', () => {
  it('returns ASP.NET CookieBuilder defaults for every property not given', () => {
    expect(newKrCookieBuilder()).to.deep.equal(defaultCookieBuilder);
    expect(newKrCookieBuilder({})).to.deep.equal({
      name: null,
      domain: null,
      path: null,
      httpOnly: false,
      sameSite: 'Unspecified',
      securePolicy: 'SameAsRequest',
      expirationMs: null,
      maxAgeMs: null,
      isEssential: false,
      extensions: [],
    });
  });

  it('sets every property it is given', () => {
    const builder = newKrCookieBuilder({
      name: 'Kr.Session',
      domain: 'example.test',
      path: '/app',
      httpOnly: true,
      sameSite: 'Strict',
      securePolicy: 'Always',
      expiration: 3600,
      maxAge: '00:30:00',
      isEssential: true,
      extensions: ['partitioned', 'priority=high'],
    });
    expect(builder).to.deep.equal({
      name: 'Kr.Session',
      domain: 'example.test',
      path: '/app',
      httpOnly: true,
      sameSite: 'Strict',
      securePolicy: 'Always',
      expirationMs: HOUR,
      maxAgeMs: 30 * MINUTE,
      isEssential: true,
      extensions: ['partitioned', 'priority=high'],
    });
  });

  it('sets switches only when true, as a [switch] that was not passed', () => {
    expect(newKrCookieBuilder({ httpOnly: false, isEssential: false })).to.include({ httpOnly: false, isEssential: false });
    expect(newKrCookieBuilder({ httpOnly: 1, isEssential: 1 } as unknown as Parameters<typeof newKrCookieBuilder>[0])).to.include({
      httpOnly: true,
      isEssential: true,
    });
  });

  describe('sameSite and securePolicy', () => {
    for (const [given, expected] of [
      ['lax', 'Lax'],
      ['LAX', 'Lax'],
      ['Strict', 'Strict'],
      ['strict', 'Strict'],
      ['unspecified', 'Unspecified'],
    ] as const) {
      it(`binds sameSite '${given}' to ${expected}, case-insensitively`, () => {
        expect(newKrCookieBuilder({ sameSite: given }).sameSite).to.equal(expected);
      });
    }

    it('binds sameSite None when the cookie is always Secure', () => {
      expect(newKrCookieBuilder({ sameSite: 'none', securePolicy: 'always' })).to.include({ sameSite: 'None', securePolicy: 'Always' });
    });

    for (const [given, expected] of [
      ['Always', 'Always'],
      ['always', 'Always'],
      ['SAMEASREQUEST', 'SameAsRequest'],
      ['sameAsRequest', 'SameAsRequest'],
      ['none', 'None'],
    ] as const) {
      it(`binds securePolicy '${given}' to ${expected}, case-insensitively`, () => {
        expect(newKrCookieBuilder({ securePolicy: given }).securePolicy).to.equal(expected);
      });
    }

    for (const securePolicy of [undefined, 'SameAsRequest', 'None'] as const) {
      it(`refuses SameSite=None with securePolicy ${securePolicy ?? '(default SameAsRequest)'}: browsers drop such cookies`, () => {
        const error = errorOf(() => newKrCookieBuilder({ name: 'c', sameSite: 'None', securePolicy }));
        expect(error.message).to.equal('New-KrCookieBuilder: SameSite=None requires Secure: set SecurePolicy to Always.');
      });
    }

    it('refuses values outside the enums, listing the valid names', () => {
      const sameSite = errorOf(() => newKrCookieBuilder({ sameSite: 'Loose' }));
      expect(sameSite.message).to.match(/^New-KrCookieBuilder: Cannot bind parameter 'SameSite'\./);
      expect(sameSite.message).to.include('Unspecified, None, Lax, Strict');
      expect(sameSite.parameter).to.equal('SameSite');
      const securePolicy = errorOf(() => newKrCookieBuilder({ securePolicy: 'Sometimes' }));
      expect(securePolicy.message).to.match(/^New-KrCookieBuilder: Cannot bind parameter 'SecurePolicy'\./);
      expect(securePolicy.message).to.include('SameAsRequest, Always, None');
    });
  });

  describe('maxAge and expiration', () => {
    for (const [given, ms] of [
      [90, 90 * SECOND],
      [1.5, 1500],
      ['90', 90 * DAY],
      ['00:30:00', 30 * MINUTE],
      ['1.02:03:04', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
      ['1d2h30m15s250ms', DAY + 2 * HOUR + 30 * MINUTE + 15 * SECOND + 250],
      ['45m', 45 * MINUTE],
      [0, 0],
    ] as const) {
      it(`reads ${JSON.stringify(given)} as ${ms} ms, as ConvertTo-TimeSpan does`, () => {
        expect(newKrCookieBuilder({ maxAge: given }).maxAgeMs).to.equal(ms);
        expect(newKrCookieBuilder({ expiration: given }).expirationMs).to.equal(ms);
      });
    }

    it('refuses text that is no TimeSpan, naming the parameter', () => {
      const error = errorOf(() => newKrCookieBuilder({ maxAge: 'half an hour' }));
      expect(error.message).to.match(/^New-KrCookieBuilder: Cannot process argument transformation on parameter 'MaxAge'\. Invalid TimeSpan format/);
      expect(error.parameter).to.equal('MaxAge');
      expect(errorOf(() => newKrCookieBuilder({ expiration: '2h30' })).parameter).to.equal('Expiration');
    });

    it('refuses a Date, as Kestrun does (-Expiration takes a TimeSpan)', () => {
      const error = errorOf(() => newKrCookieBuilder({ expiration: new Date() as unknown as number }));
      expect(error.message).to.include('[TimeSpan]');
    });

    it('refuses negative lifetimes and lifetimes over the 400 days browsers keep', () => {
      expect(errorOf(() => newKrCookieBuilder({ maxAge: -1 })).message).to.match(/^New-KrCookieBuilder: The cookie MaxAge must be a non-negative/);
      expect(errorOf(() => newKrCookieBuilder({ expiration: '-00:01:00' })).message).to.match(
        /^New-KrCookieBuilder: The cookie Expiration must be a non-negative/,
      );
      expect(errorOf(() => newKrCookieBuilder({ maxAge: '401' })).message).to.match(/^New-KrCookieBuilder: The cookie MaxAge must not exceed 400 days/);
      expect(newKrCookieBuilder({ maxAge: '400' }).maxAgeMs).to.equal(400 * DAY);
    });
  });

  describe('name, domain, path and extensions', () => {
    it('refuses an empty name, as the CookieBuilder setter does', () => {
      const error = errorOf(() => newKrCookieBuilder({ name: '' }));
      expect(error.message).to.match(/^New-KrCookieBuilder: /);
      expect(error.parameter).to.equal('Name');
    });

    it('refuses a name that is not an RFC 6265 token', () => {
      for (const name of ['my cookie', 'a;b', 'a=b', 'sess(1)', 'naïve']) {
        expect(errorOf(() => newKrCookieBuilder({ name })).message, name).to.include('is not an RFC 6265 token');
      }
    });

    it('refuses ;, CR and LF in domain, path and extensions, which would break the header', () => {
      expect(errorOf(() => newKrCookieBuilder({ domain: 'a.test; secure' })).message).to.include('domain');
      expect(errorOf(() => newKrCookieBuilder({ path: '/\r\nSet-Cookie: x=1' })).message).to.include('path');
      expect(errorOf(() => newKrCookieBuilder({ extensions: ['ok', 'bad;one'] })).message).to.include('extension');
    });

    it('takes one extension as a string or several as an array, and replaces the default list', () => {
      expect(newKrCookieBuilder({ extensions: 'partitioned' }).extensions).to.deep.equal(['partitioned']);
      expect(newKrCookieBuilder({ extensions: [] }).extensions).to.deep.equal([]);
    });

    it('refuses unknown parameters instead of ignoring them', () => {
      const error = errorOf(() => newKrCookieBuilder({ secure: true } as unknown as Parameters<typeof newKrCookieBuilder>[0]));
      expect(error.message).to.match(/^New-KrCookieBuilder: /);
      expect(error.message).to.include('secure');
    });
  });

  describe('immutability', () => {
    it('returns a frozen builder whose assignments throw', () => {
      const builder = newKrCookieBuilder({ name: 'c', extensions: ['partitioned'] });
      expect(Object.isFrozen(builder)).to.equal(true);
      expect(Object.isFrozen(builder.extensions)).to.equal(true);
      expect(() => {
        (builder as { -readonly [K in keyof CookieBuilder]: CookieBuilder[K] }).name = 'other';
      }).to.throw(TypeError);
      expect(() => {
        (builder.extensions as string[]).push('secure');
      }).to.throw(TypeError);
      expect(builder.name).to.equal('c');
      expect(builder.extensions).to.deep.equal(['partitioned']);
    });

    it('copies the extensions array, so later changes to the caller\'s array do not leak in', () => {
      const extensions = ['partitioned'];
      const builder = newKrCookieBuilder({ name: 'c', extensions });
      extensions.push('priority=high');
      expect(builder.extensions).to.deep.equal(['partitioned']);
    });

    it('returns a new builder on every call', () => {
      expect(newKrCookieBuilder({ name: 'c' })).to.not.equal(newKrCookieBuilder({ name: 'c' }));
    });
  });

  describe('as the session cookie', () => {
    let server: InProcessServer | undefined;

    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('renders every property in ASP.NET Core\'s attribute order', async () => {
      const cookie = newKrCookieBuilder({
        name: 'Kr.Session',
        domain: 'example.test',
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        securePolicy: 'always',
        expiration: '01:00:00',
        maxAge: 1800.9,
        isEssential: true,
        extensions: ['partitioned'],
      });
      server = await startInProcess(() => {
        addKrSession({ cookie });
        addKrMapRoute({
          path: '/write',
          scriptBlock: async () => {
            await setKrSessionInt32({ key: 'n', value: 1 });
          },
        });
      });
      const before = Date.now();
      const response = await fetchUrl(`${server.url}/write`);
      expect(response.setCookies).to.have.length(1);
      const header = response.setCookies[0] as string;
      const match = /^Kr\.Session=[^;]+; expires=([^;]+); max-age=1800; domain=example\.test; path=\/; secure; samesite=strict; httponly; partitioned$/.exec(
        header,
      );
      expect(match, header).to.not.equal(null);
      // Expiration is relative to the response: an hour from now, in RFC 1123 form (whole seconds).
      const expires = Date.parse(match?.[1] as string);
      expect(match?.[1]).to.match(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(expires).to.be.within(before + HOUR - 1000, Date.now() + HOUR);
    });
  });
});
