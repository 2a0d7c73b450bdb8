import { expect } from 'chai';
import {
  createCookieBuilder,
  defaultCookieBuilder,
  renderSetCookie,
  sessionCookieBuilder,
  validateCookieBuilder,
} from '../../src/runtime/cookies/cookie-builder.ts';
import type { CookieBuilder } from '../../src/runtime/cookies/cookie-builder.ts';

const NOW = new Date(Date.UTC(2025, 11, 31, 0, 0, 0, 0));
const DAY_MS = 24 * 60 * 60 * 1000;
const tutorialCookie = createCookieBuilder({
  name: 'Kr.Session',
  httpOnly: true,
  sameSite: 'Lax',
  securePolicy: 'Always',
});

describe('cookie-builder', () => {
  describe('defaults', () => {
    it('defaultCookieBuilder holds ASP.NET CookieBuilder defaults', () => {
      expect(defaultCookieBuilder).to.deep.equal({
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

    it('sessionCookieBuilder holds SessionOptions defaults', () => {
      expect(sessionCookieBuilder).to.deep.equal({
        name: '.AspNetCore.Session',
        domain: null,
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        securePolicy: 'None',
        expirationMs: null,
        maxAgeMs: null,
        isEssential: false,
        extensions: [],
      });
    });

    it('both are frozen, extensions included', () => {
      for (const builder of [defaultCookieBuilder, sessionCookieBuilder]) {
        expect(Object.isFrozen(builder)).to.equal(true);
        expect(Object.isFrozen(builder.extensions)).to.equal(true);
      }
    });
  });

  describe('createCookieBuilder', () => {
    it('applies overrides over the generic defaults', () => {
      const builder = createCookieBuilder({ name: 'c', maxAgeMs: 1000, isEssential: true });
      expect(builder).to.deep.equal({ ...defaultCookieBuilder, name: 'c', maxAgeMs: 1000, isEssential: true });
    });

    it('treats undefined overrides as not given', () => {
      expect(createCookieBuilder({ name: undefined, httpOnly: undefined })).to.deep.equal(defaultCookieBuilder);
      expect(createCookieBuilder()).to.deep.equal(defaultCookieBuilder);
    });

    it('returns a frozen builder with a frozen copy of the extensions', () => {
      const extensions = ['partitioned'];
      const builder = createCookieBuilder({ name: 'c', extensions });
      extensions.push('priority=high');
      expect(builder.extensions).to.deep.equal(['partitioned']);
      expect(Object.isFrozen(builder)).to.equal(true);
      expect(Object.isFrozen(builder.extensions)).to.equal(true);
      expect(() => {
        (builder as { name: string | null }).name = 'other';
      }).to.throw(TypeError);
    });

    it('validates what it builds', () => {
      expect(() => createCookieBuilder({ name: 'a b' })).to.throw(Error, /not an RFC 6265 token/);
    });
  });

  describe('validateCookieBuilder', () => {
    const valid = (overrides: Partial<CookieBuilder>): CookieBuilder => ({ ...defaultCookieBuilder, ...overrides });

    it('accepts the defaults and a fully specified builder', () => {
      validateCookieBuilder(defaultCookieBuilder);
      validateCookieBuilder(sessionCookieBuilder);
      validateCookieBuilder(
        valid({
          name: "!#$%&'*+-.^_`|~09AZaz",
          domain: 'example.com',
          path: '/app',
          sameSite: 'None',
          securePolicy: 'Always',
          expirationMs: 400 * DAY_MS,
          maxAgeMs: 0,
          extensions: ['partitioned'],
        }),
      );
    });

    it('requires Secure for SameSite=None', () => {
      for (const securePolicy of ['SameAsRequest', 'None'] as const) {
        expect(() => validateCookieBuilder(valid({ sameSite: 'None', securePolicy }))).to.throw(
          Error,
          'SameSite=None requires Secure: set SecurePolicy to Always',
        );
      }
    });

    it('rejects an empty name', () => {
      expect(() => validateCookieBuilder(valid({ name: '' }))).to.throw(Error, 'The cookie name cannot be empty.');
    });

    it('rejects names with characters outside the RFC 6265 token set', () => {
      for (const name of ['a b', 'a;b', 'a=b', 'a,b', 'a"b', 'a(b', 'a/b', 'a:b', 'a@b', 'a\tb', 'a\u007fb', 'é']) {
        expect(() => validateCookieBuilder(valid({ name })), JSON.stringify(name)).to.throw(Error, /not an RFC 6265 token/);
      }
    });

    it('rejects ;, CR and LF in domain, path and extensions', () => {
      for (const bad of ['a;b', 'a\rb', 'a\nb']) {
        expect(() => validateCookieBuilder(valid({ domain: bad }))).to.throw(Error, /cookie domain .* must not contain/);
        expect(() => validateCookieBuilder(valid({ path: bad }))).to.throw(Error, /cookie path .* must not contain/);
        expect(() => validateCookieBuilder(valid({ extensions: ['ok', bad] }))).to.throw(
          Error,
          /cookie extension .* must not contain/,
        );
      }
    });

    it('rejects negative or non-finite lifetimes', () => {
      for (const ms of [-1, NaN, Infinity]) {
        expect(() => validateCookieBuilder(valid({ maxAgeMs: ms }))).to.throw(Error, /MaxAge must be a non-negative/);
        expect(() => validateCookieBuilder(valid({ expirationMs: ms }))).to.throw(Error, /Expiration must be a non-negative/);
      }
    });

    it('rejects lifetimes beyond 400 days', () => {
      expect(() => validateCookieBuilder(valid({ maxAgeMs: 400 * DAY_MS + 1 }))).to.throw(Error, /MaxAge must not exceed 400 days/);
      expect(() => validateCookieBuilder(valid({ expirationMs: 400 * DAY_MS + 1 }))).to.throw(
        Error,
        /Expiration must not exceed 400 days/,
      );
    });

    it('rejects unknown SameSite and SecurePolicy values from untyped callers', () => {
      const sameSite = 'lax' as CookieBuilder['sameSite'];
      const securePolicy = 'Sometimes' as CookieBuilder['securePolicy'];
      expect(() => validateCookieBuilder(valid({ sameSite }))).to.throw(Error, /SameSite must be one of/);
      expect(() => validateCookieBuilder(valid({ securePolicy }))).to.throw(Error, /SecurePolicy must be one of/);
    });
  });

  describe('renderSetCookie', () => {
    it('renders the tutorial cookie', () => {
      expect(renderSetCookie(tutorialCookie, 'abc', true, NOW)).to.equal('Kr.Session=abc; path=/; secure; samesite=lax; httponly');
    });

    it('renders the session defaults without secure, on http and https', () => {
      const expected = '.AspNetCore.Session=abc; path=/; samesite=lax; httponly';
      expect(renderSetCookie(sessionCookieBuilder, 'abc', false, NOW)).to.equal(expected);
      expect(renderSetCookie(sessionCookieBuilder, 'abc', true, NOW)).to.equal(expected);
    });

    it('renders every attribute in ASP.NET order', () => {
      const builder = createCookieBuilder({
        name: 'c',
        domain: 'example.com',
        path: '/app',
        httpOnly: true,
        sameSite: 'Strict',
        securePolicy: 'Always',
        expirationMs: DAY_MS,
        maxAgeMs: 3600_000,
        extensions: ['partitioned', 'priority=high'],
      });
      expect(renderSetCookie(builder, 'v', false, NOW)).to.equal(
        'c=v; expires=Thu, 01 Jan 2026 00:00:00 GMT; max-age=3600; domain=example.com; path=/app; secure; ' +
          'samesite=strict; httponly; partitioned; priority=high',
      );
    });

    it('defaults the path to / and leaves out unset attributes', () => {
      expect(renderSetCookie(createCookieBuilder({ name: 'c' }), 'v', false, NOW)).to.equal('c=v; path=/');
    });

    it('writes an empty path as ASP.NET does, since only null falls back to /', () => {
      expect(renderSetCookie(createCookieBuilder({ name: 'c', path: '' }), 'v', false, NOW)).to.equal('c=v; path=');
    });

    it('writes each SameSite mode in lower case and omits Unspecified', () => {
      const render = (sameSite: CookieBuilder['sameSite']): string =>
        renderSetCookie(createCookieBuilder({ name: 'c', sameSite, securePolicy: 'Always' }), 'v', false, NOW);
      expect(render('None')).to.equal('c=v; path=/; secure; samesite=none');
      expect(render('Lax')).to.equal('c=v; path=/; secure; samesite=lax');
      expect(render('Strict')).to.equal('c=v; path=/; secure; samesite=strict');
      expect(render('Unspecified')).to.equal('c=v; path=/; secure');
    });

    it('marks the cookie secure by policy: Always always, SameAsRequest on https only, None never', () => {
      const render = (securePolicy: CookieBuilder['securePolicy'], isHttps: boolean): string =>
        renderSetCookie(createCookieBuilder({ name: 'c', securePolicy }), 'v', isHttps, NOW);
      expect(render('Always', false)).to.equal('c=v; path=/; secure');
      expect(render('Always', true)).to.equal('c=v; path=/; secure');
      expect(render('SameAsRequest', false)).to.equal('c=v; path=/');
      expect(render('SameAsRequest', true)).to.equal('c=v; path=/; secure');
      expect(render('None', false)).to.equal('c=v; path=/');
      expect(render('None', true)).to.equal('c=v; path=/');
    });

    it('computes expires from the given time, in RFC 1123 format', () => {
      const builder = createCookieBuilder({ name: 'c', expirationMs: 90 * 60_000 + 999 });
      const now = new Date(Date.UTC(2026, 1, 28, 23, 30, 15, 500));
      expect(renderSetCookie(builder, 'v', false, now)).to.equal('c=v; expires=Sun, 01 Mar 2026 01:00:16 GMT; path=/');
      expect(renderSetCookie(builder, 'v', false, NOW)).to.equal('c=v; expires=Wed, 31 Dec 2025 01:30:00 GMT; path=/');
    });

    it('writes max-age in whole seconds, truncated', () => {
      const render = (maxAgeMs: number): string =>
        renderSetCookie(createCookieBuilder({ name: 'c', maxAgeMs }), 'v', false, NOW);
      expect(render(0)).to.equal('c=v; max-age=0; path=/');
      expect(render(1999)).to.equal('c=v; max-age=1; path=/');
      expect(render(400 * DAY_MS)).to.equal('c=v; max-age=34560000; path=/');
    });

    it('escapes the value like Uri.EscapeDataString, including the characters encodeURIComponent keeps', () => {
      const render = (value: string): string => renderSetCookie(createCookieBuilder({ name: 'c' }), value, false, NOW);
      expect(render('AZaz09-._~')).to.equal('c=AZaz09-._~; path=/');
      expect(render("a b;c=d,e\"f\\g")).to.equal('c=a%20b%3Bc%3Dd%2Ce%22f%5Cg; path=/');
      expect(render("!'()*")).to.equal('c=%21%27%28%29%2A; path=/');
      expect(render('+/=')).to.equal('c=%2B%2F%3D; path=/');
      expect(render('Zoë€😀')).to.equal('c=Zo%C3%AB%E2%82%AC%F0%9F%98%80; path=/');
      expect(render('a\ud800')).to.equal('c=a%EF%BF%BD; path=/');
      expect(render('')).to.equal('c=; path=/');
    });

    it('refuses a builder without a name', () => {
      expect(() => renderSetCookie(defaultCookieBuilder, 'v', false, NOW)).to.throw(Error, /has no name/);
    });

    it('validates a builder that was not made by createCookieBuilder', () => {
      const literal: CookieBuilder = { ...defaultCookieBuilder, name: 'c', sameSite: 'None' };
      expect(() => renderSetCookie(literal, 'v', true, NOW)).to.throw(Error, 'SameSite=None requires Secure');
    });

    it('follows changes to a builder that is not frozen', () => {
      const mutable = { ...defaultCookieBuilder, name: 'c' };
      expect(renderSetCookie(mutable, 'v', false, NOW)).to.equal('c=v; path=/');
      mutable.name = 'd';
      expect(renderSetCookie(mutable, 'v', false, NOW)).to.equal('d=v; path=/');
    });

    it('gives the same header on repeated calls with the same builder', () => {
      const first = renderSetCookie(tutorialCookie, 'x', false, NOW);
      expect(renderSetCookie(tutorialCookie, 'x', false, NOW)).to.equal(first);
      expect(renderSetCookie(tutorialCookie, 'y', true, NOW)).to.equal('Kr.Session=y; path=/; secure; samesite=lax; httponly');
    });
  });
});
