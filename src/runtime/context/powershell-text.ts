/** The text .NET's ToString() gives for what a PowerShell script would have passed in place of a JS value. */
export function powerShellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return 'System.Object[]';
  if (value instanceof Map || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)) {
    return 'System.Collections.Hashtable';
  }
  return String(value);
}
