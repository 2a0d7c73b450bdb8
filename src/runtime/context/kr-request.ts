import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * A request as Kestrun's KestrunRequest exposes it. Every part is computed on first use: most routes read
 * one query value or nothing at all, and a server under load should not parse what nobody reads.
 */
export class KrRequest {
  private queryCache: Readonly<Record<string, string>> | undefined;
  private cookieCache: Readonly<Record<string, string>> | undefined;

  constructor(private readonly hono: Context) {}

  get method(): string {
    return this.hono.req.method;
  }

  get path(): string {
    return this.hono.req.path;
  }

  get url(): string {
    return this.hono.req.url;
  }

  /** Route values from the path pattern, e.g. `id` for `/items/:id`. */
  get routeValues(): Readonly<Record<string, string>> {
    return this.hono.req.param() as Record<string, string>;
  }

  header(name: string): string | undefined {
    return this.hono.req.header(name);
  }

  /** Query values URL-decoded ('+' is a space); a repeated key is joined with commas, as StringValues does. */
  get query(): Readonly<Record<string, string>> {
    if (this.queryCache === undefined) {
      const url = this.hono.req.url;
      const start = url.indexOf('?');
      const query: Record<string, string> = Object.create(null) as Record<string, string>;
      if (start !== -1) {
        const hashAt = url.indexOf('#', start);
        for (const [key, value] of new URLSearchParams(url.slice(start + 1, hashAt === -1 ? undefined : hashAt))) {
          const existing = query[key];
          query[key] = existing === undefined ? value : `${existing},${value}`;
        }
      }
      this.queryCache = query;
    }
    return this.queryCache;
  }

  /** Request cookies; names compare case-insensitively and the last duplicate wins, as in ASP.NET Core. */
  get cookies(): Readonly<Record<string, string>> {
    this.cookieCache ??= parseCookieHeader(this.hono.req.header('cookie'));
    return this.cookieCache;
  }

  /** One cookie, as `cookies` has it; found without building the dictionary when nothing else needed it. */
  cookie(name: string): string | undefined {
    const lowerName = name.toLowerCase();
    if (this.cookieCache !== undefined) return this.cookieCache[lowerName];
    return findCookie(this.hono.req.header('cookie'), lowerName);
  }

  /** True when the connection itself is TLS, or, with trustProxy, when X-Forwarded-Proto says https. */
  isHttps(trustProxy: boolean): boolean {
    if (trustProxy) {
      const forwarded = this.hono.req.header('x-forwarded-proto');
      if (forwarded !== undefined) return forwarded.split(',')[0]?.trim().toLowerCase() === 'https';
    }
    const incoming = (this.hono.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return (incoming?.socket as TLSSocket | undefined)?.encrypted === true;
  }

  /** Aborted when the client goes away before the response is sent, as ASP.NET Core's RequestAborted. */
  get signal(): AbortSignal {
    return this.hono.req.raw.signal;
  }

  text(): Promise<string> {
    return this.hono.req.text();
  }
}

function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // .NET leaves malformed escapes as they are instead of failing the request.
    return value;
  }
}

/**
 * The value `parseCookieHeader` would give `lowerName`, with no dictionary: the session engine reads one cookie per
 * request, and a dictionary of all of them would be built only to be dropped.
 */
export function findCookie(header: string | undefined, lowerName: string): string | undefined {
  if (header === undefined || lowerName === '') return undefined;
  let found: string | undefined;
  for (let start = 0; start < header.length; ) {
    const semicolon = header.indexOf(';', start);
    const end = semicolon === -1 ? header.length : semicolon;
    const equals = header.indexOf('=', start);
    if (equals > start && equals < end) {
      const name = header.slice(start, equals).trim();
      if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
        const value = header.slice(equals + 1, end).trim();
        if (value !== '') found = value;
      }
    }
    start = end + 1;
  }
  return found === undefined ? undefined : safeDecode(found);
}

/** Keys are lower-cased so that lookups are case-insensitive. */
export function parseCookieHeader(header: string | undefined): Readonly<Record<string, string>> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (header === undefined) return cookies;
  for (const segment of header.split(';')) {
    const equals = segment.indexOf('=');
    if (equals <= 0) continue;
    const name = segment.slice(0, equals).trim();
    const value = segment.slice(equals + 1).trim();
    if (name === '' || value === '') continue;
    cookies[name.toLowerCase()] = safeDecode(value);
  }
  return cookies;
}
