/**
 * ASP.NET route templates in Hono's syntax: `{id}` → `:id`, `{id?}` → `:id?`, `{*rest}` and `{**rest}` →
 * `:rest{.+}`. Paths already in Hono's syntax pass through.
 */
export function honoPattern(path: string): string {
  return path.replace(/\{(\*{1,2})?([A-Za-z_]\w*)(\?)?(?::[^}]*)?\}/g, (_match, catchAll: string | undefined, name: string, optional: string | undefined) =>
    catchAll ? `:${name}{.+}` : `:${name}${optional ?? ''}`,
  );
}

/** ASP.NET compares literal route segments case-insensitively and ignores a trailing slash. */
export function samePattern(left: string, right: string): boolean {
  const normalise = (pattern: string): string => pattern.replace(/\/+$/, '').toLowerCase() || '/';
  return normalise(left) === normalise(right);
}
