import { validateHeaderName, validateHeaderValue } from 'node:http';

const TEXT_LIKE = /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|yaml|x-yaml|csv|x-www-form-urlencoded)\b)|(?:json|xml|yaml|csv)$/i;

/** Routes use a handful of content types; remembering that many saves two regular expressions per response. */
const KNOWN_CONTENT_TYPES_LIMIT = 64;
const withCharset = new Map<string, string>();

/**
 * Kestrun's EnsureContentType: text-like types without a charset get `; charset=utf-8`. A type that cannot be a header
 * value (a control character) is refused here, in the route, as Kestrel refuses it when the route sets it.
 */
export function ensureCharset(contentType: string): string {
  const known = withCharset.get(contentType);
  if (known !== undefined) return known;
  validateHeaderValue('content-type', contentType);
  const ensured = addCharsetIfText(contentType);
  if (withCharset.size < KNOWN_CONTENT_TYPES_LIMIT) withCharset.set(contentType, ensured);
  return ensured;
}

function addCharsetIfText(contentType: string): string {
  if (/;\s*charset=/i.test(contentType)) return contentType;
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  return TEXT_LIKE.test(mediaType) ? `${contentType}; charset=utf-8` : contentType;
}

/**
 * The buffered response of a route, as Kestrun's KestrunResponse: writes only record what to send, the last
 * write wins, and the response is applied once the route returns. Headers are checked as they are added, so that
 * a bad one fails the route on the line that adds it rather than the write of the response.
 */
export class KrResponse {
  statusCode = 200;
  body: string | Uint8Array | null = null;
  contentType: string | null = null;
  readonly headers: [string, string][] = [];

  write(body: string | Uint8Array, statusCode: number, contentType: string): void {
    this.body = body;
    this.statusCode = statusCode;
    this.contentType = ensureCharset(contentType);
  }

  addHeader(name: string, value: string): void {
    validateHeader(name, value);
    this.headers.push([name, value]);
  }

  /** Replaces every earlier value of the header. */
  setHeader(name: string, value: string): void {
    validateHeader(name, value);
    const lower = name.toLowerCase();
    for (let index = this.headers.length - 1; index >= 0; index--) {
      if ((this.headers[index] as [string, string])[0].toLowerCase() === lower) this.headers.splice(index, 1);
    }
    this.headers.push([name, value]);
  }
}

function validateHeader(name: string, value: string): void {
  validateHeaderName(name);
  validateHeaderValue(name, value);
}
