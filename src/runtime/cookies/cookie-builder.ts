/**
 * The runtime side of ASP.NET Core's CookieBuilder: what New-KrCookieBuilder returns and Add-KrSession consumes,
 * and the Set-Cookie header it produces, in SetCookieHeaderValue's exact format.
 */

export type SameSiteMode = 'Unspecified' | 'None' | 'Lax' | 'Strict';
export type CookieSecurePolicy = 'SameAsRequest' | 'Always' | 'None';

export interface CookieBuilder {
  /** Null until set; a cookie cannot be rendered without one. */
  readonly name: string | null;
  /** Null makes a host-only cookie. */
  readonly domain: string | null;
  /** Null renders as `/`. */
  readonly path: string | null;
  readonly httpOnly: boolean;
  readonly sameSite: SameSiteMode;
  readonly securePolicy: CookieSecurePolicy;
  /** Rendered as `expires` = the time of the response + this; null for a browser-session cookie. */
  readonly expirationMs: number | null;
  readonly maxAgeMs: number | null;
  /** Carried for cookie-consent policies; it does not change the header. */
  readonly isEssential: boolean;
  /** Extra attributes written verbatim after the standard ones, for example `partitioned`. */
  readonly extensions: readonly string[];
}

const SAME_SITE_MODES: readonly SameSiteMode[] = ['Unspecified', 'None', 'Lax', 'Strict'];
const SECURE_POLICIES: readonly CookieSecurePolicy[] = ['SameAsRequest', 'Always', 'None'];
/** RFC 6265bis: user agents cap both lifetimes at 400 days, so a longer one would silently not hold. */
const MAX_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;
/** RFC 6265 cookie-name = RFC 2616 token: visible ASCII except separators. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Characters that would end the attribute or the header line early. */
const ATTRIBUTE_BREAKER = /[;\r\n]/;

/** ASP.NET's generic CookieBuilder defaults: what a cookie builder holds for every property not set. */
export const defaultCookieBuilder: CookieBuilder = Object.freeze({
  name: null,
  domain: null,
  path: null,
  httpOnly: false,
  sameSite: 'Unspecified',
  securePolicy: 'SameAsRequest',
  expirationMs: null,
  maxAgeMs: null,
  isEssential: false,
  extensions: Object.freeze([]),
});

/** Returns a validated, frozen builder: generic defaults for every property that `overrides` leaves undefined. */
export function createCookieBuilder(overrides: Partial<CookieBuilder> = {}): CookieBuilder {
  const builder: CookieBuilder = Object.freeze({
    name: overrides.name ?? defaultCookieBuilder.name,
    domain: overrides.domain ?? defaultCookieBuilder.domain,
    path: overrides.path ?? defaultCookieBuilder.path,
    httpOnly: overrides.httpOnly ?? defaultCookieBuilder.httpOnly,
    sameSite: overrides.sameSite ?? defaultCookieBuilder.sameSite,
    securePolicy: overrides.securePolicy ?? defaultCookieBuilder.securePolicy,
    expirationMs: overrides.expirationMs ?? defaultCookieBuilder.expirationMs,
    maxAgeMs: overrides.maxAgeMs ?? defaultCookieBuilder.maxAgeMs,
    isEssential: overrides.isEssential ?? defaultCookieBuilder.isEssential,
    extensions: Object.freeze([...(overrides.extensions ?? defaultCookieBuilder.extensions)]),
  });
  validateCookieBuilder(builder);
  return builder;
}

/** SessionOptions' cookie defaults, used when Add-KrSession gets no -Cookie. */
export const sessionCookieBuilder: CookieBuilder = createCookieBuilder({
  name: '.AspNetCore.Session',
  path: '/',
  httpOnly: true,
  sameSite: 'Lax',
  securePolicy: 'None',
  isEssential: false,
});

/** Throws for a builder whose cookie a browser would reject, mangle or silently drop. */
export function validateCookieBuilder(builder: CookieBuilder): void {
  const { name, domain, path, sameSite, securePolicy, expirationMs, maxAgeMs, extensions } = builder;
  if (name !== null) {
    if (name === '') throw new Error('The cookie name cannot be empty.');
    if (!COOKIE_NAME.test(name)) {
      throw new Error(
        `The cookie name '${name}' is not an RFC 6265 token: use letters, digits and !#$%&'*+-.^_\`|~ only.`,
      );
    }
  }
  requireNoAttributeBreaker('domain', domain);
  requireNoAttributeBreaker('path', path);
  for (const extension of extensions) requireNoAttributeBreaker('extension', extension);
  if (!SAME_SITE_MODES.includes(sameSite)) {
    throw new Error(`SameSite must be one of ${SAME_SITE_MODES.join(', ')}, got '${String(sameSite)}'.`);
  }
  if (!SECURE_POLICIES.includes(securePolicy)) {
    throw new Error(`SecurePolicy must be one of ${SECURE_POLICIES.join(', ')}, got '${String(securePolicy)}'.`);
  }
  // Browsers drop SameSite=None cookies without Secure; ASP.NET only logs that, which hides the failure.
  if (sameSite === 'None' && securePolicy !== 'Always') {
    throw new Error('SameSite=None requires Secure: set SecurePolicy to Always.');
  }
  requireLifetime('MaxAge', maxAgeMs);
  requireLifetime('Expiration', expirationMs);
}

function requireNoAttributeBreaker(attribute: string, value: string | null): void {
  if (value !== null && ATTRIBUTE_BREAKER.test(value)) {
    throw new Error(`The cookie ${attribute} ${JSON.stringify(value)} must not contain ';', CR or LF.`);
  }
}

function requireLifetime(property: string, milliseconds: number | null): void {
  if (milliseconds === null) return;
  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new Error(`The cookie ${property} must be a non-negative number of milliseconds, got ${milliseconds}.`);
  }
  if (milliseconds > MAX_LIFETIME_MS) {
    throw new Error(`The cookie ${property} must not exceed 400 days (${MAX_LIFETIME_MS} ms), got ${milliseconds}.`);
  }
}

/** Everything of the header that does not depend on the value or the time, rendered once per frozen builder. */
interface RenderedAttributes {
  readonly nameAndEquals: string;
  readonly expirationMs: number | null;
  /** From max-age to the extensions, with and without `secure`. */
  readonly secureTail: string;
  readonly insecureTail: string;
  readonly secureOnHttpsOnly: boolean;
}

const renderedByBuilder = new WeakMap<CookieBuilder, RenderedAttributes>();

/**
 * The Set-Cookie value ASP.NET would write for this builder:
 * `name=value; expires=…; max-age=…; domain=…; path=…; secure; samesite=…; httponly; extensions…`.
 */
export function renderSetCookie(builder: CookieBuilder, value: string, isHttps: boolean, now: Date): string {
  const attributes = renderedAttributes(builder);
  let header = attributes.nameAndEquals + escapeDataString(value);
  if (attributes.expirationMs !== null) {
    header += '; expires=' + new Date(now.getTime() + attributes.expirationMs).toUTCString();
  }
  const secure = isHttps || !attributes.secureOnHttpsOnly;
  return header + (secure ? attributes.secureTail : attributes.insecureTail);
}

function renderedAttributes(builder: CookieBuilder): RenderedAttributes {
  const cached = renderedByBuilder.get(builder);
  if (cached !== undefined) return cached;
  const rendered = renderAttributes(builder);
  // Only a frozen builder is certain not to change after its header parts were cached.
  if (Object.isFrozen(builder)) renderedByBuilder.set(builder, rendered);
  return rendered;
}

function renderAttributes(builder: CookieBuilder): RenderedAttributes {
  validateCookieBuilder(builder);
  if (builder.name === null) throw new Error('The cookie has no name: set Name before it is written.');
  let beforeSecure = '';
  // SetCookieHeaderValue writes whole seconds, truncated.
  if (builder.maxAgeMs !== null) beforeSecure += `; max-age=${Math.trunc(builder.maxAgeMs / 1000)}`;
  if (builder.domain !== null) beforeSecure += `; domain=${builder.domain}`;
  beforeSecure += `; path=${builder.path ?? '/'}`;
  let afterSecure = '';
  if (builder.sameSite !== 'Unspecified') afterSecure += `; samesite=${builder.sameSite.toLowerCase()}`;
  if (builder.httpOnly) afterSecure += '; httponly';
  for (const extension of builder.extensions) afterSecure += `; ${extension}`;
  const insecureTail = beforeSecure + afterSecure;
  const secureTail = beforeSecure + '; secure' + afterSecure;
  return {
    nameAndEquals: `${builder.name}=`,
    expirationMs: builder.expirationMs,
    secureTail: builder.securePolicy === 'None' ? insecureTail : secureTail,
    insecureTail: builder.securePolicy === 'Always' ? secureTail : insecureTail,
    secureOnHttpsOnly: builder.securePolicy === 'SameAsRequest',
  };
}

/** Matches RFC 3986 unreserved characters, the only ones Uri.EscapeDataString leaves as they are. */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const PERCENT_ENCODED = Array.from({ length: 256 }, (_, byte) =>
  isUnreservedByte(byte) ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0'),
);

/**
 * Uri.EscapeDataString. encodeURIComponent differs in two ways: it leaves `!'()*` unescaped, and it throws on a
 * lone surrogate where .NET writes %EF%BF%BD. Encoding the UTF-8 bytes ourselves matches .NET on both.
 */
function escapeDataString(value: string): string {
  // Session cookie values are base64url, so the common case returns here without allocating.
  if (UNRESERVED_ONLY.test(value)) return value;
  let escaped = '';
  for (const byte of Buffer.from(value, 'utf8')) escaped += PERCENT_ENCODED[byte];
  return escaped;
}

function isUnreservedByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
  );
}
