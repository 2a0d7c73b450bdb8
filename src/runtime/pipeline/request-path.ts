import { getPathNoStrict } from 'hono/utils/url';
import type { NodeBindings } from './node-bindings.ts';

const SLASH = 0x2f;
const DOT = 0x2e;
const QUESTION_MARK = 0x3f;
const HASH = 0x23;

/** Letters, digits, '-', '_', '~' and '/': characters that no URL parser rewrites and no decoding changes. */
function isPlainPathCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === SLASH ||
    code === 0x2d ||
    code === 0x5f ||
    code === 0x7e
  );
}

function endsPathSegment(target: string, index: number): boolean {
  const code = target.charCodeAt(index);
  return index >= target.length || code === SLASH || code === QUESTION_MARK || code === HASH;
}

/**
 * The path a route is matched on, as Hono works it out with `strict: false` (a trailing slash does not count), but
 * read from Node's request target rather than from the absolute URL @hono/node-server builds of it, which Hono's
 * getPath scans from its start: scheme, host and port first, on every request.
 *
 * Only an origin-form target made of plain characters and dots, with no `.` or `..` segment, is read here: URL
 * normalisation and percent-decoding leave such a path as it is. Anything else (percent-escapes, dot segments,
 * other characters, an absolute-form target, a Request fetched without Node) goes to Hono's own getPath, so the
 * result is always the one Hono would give.
 */
export function routePath(request: Request, options?: { readonly env?: unknown }): string {
  const target = (options?.env as NodeBindings | undefined)?.incoming?.url;
  if (target === undefined || target.charCodeAt(0) !== SLASH) return getPathNoStrict(request);
  let end = 1;
  for (; end < target.length; end++) {
    const code = target.charCodeAt(end);
    if (code === QUESTION_MARK || code === HASH) break;
    if (isPlainPathCharacter(code)) continue;
    if (code !== DOT || (target.charCodeAt(end - 1) === SLASH && isDotSegment(target, end))) return getPathNoStrict(request);
  }
  return end > 1 && target.charCodeAt(end - 1) === SLASH ? target.slice(0, end - 1) : target.slice(0, end);
}

/**
 * Whether the segment that starts with the dot at `index` is `.` or `..`, which URL parsing removes. A dot later in a
 * segment never starts one, so only a dot right after a slash needs this.
 */
function isDotSegment(target: string, index: number): boolean {
  return endsPathSegment(target, target.charCodeAt(index + 1) === DOT ? index + 2 : index + 1);
}
