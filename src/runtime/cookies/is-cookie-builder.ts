import type { CookieBuilder } from './cookie-builder.ts';

export function isCookieBuilder(value: unknown): value is CookieBuilder {
  return (
    typeof value === 'object' &&
    value !== null &&
    'securePolicy' in value &&
    'sameSite' in value &&
    'httpOnly' in value &&
    Array.isArray((value as { extensions?: unknown }).extensions)
  );
}
