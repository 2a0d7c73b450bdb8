/** Query parsers hand back arrays or nested objects for repeated or bracketed keys; the routes take one plain string. */
export function singleQueryValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
