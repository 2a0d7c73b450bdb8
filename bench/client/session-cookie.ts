/** Reads the Kr.Session cookie out of Set-Cookie headers: the `name=value` pair to send back, and its attributes. */
import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE_NAME } from '../contract.ts';

export interface SessionCookie {
  /** `Kr.Session=<value>`, ready for a Cookie header. */
  readonly pair: string;
  /** Attribute names in lower case (`httponly`, `secure`, ...) with `samesite` kept as `samesite=lax` and so on. */
  readonly attributes: ReadonlySet<string>;
}

/** RFC 6265 cookie-octets only, which is also what can be pasted into a Lua string literal without escaping. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

export function findSessionCookie(headers: IncomingHttpHeaders): SessionCookie | undefined {
  for (const header of headers['set-cookie'] ?? []) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    if (!pair.startsWith(`${SESSION_COOKIE_NAME}=`)) continue;
    if (!COOKIE_VALUE.test(pair.slice(SESSION_COOKIE_NAME.length + 1))) {
      throw new Error(`Unexpected characters in the session cookie: ${pair}`);
    }
    return { pair, attributes: new Set(attributes.map((attribute) => attribute.toLowerCase().replace(/\s*=\s*/, '='))) };
  }
  return undefined;
}
