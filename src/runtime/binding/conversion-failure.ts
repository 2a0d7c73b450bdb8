/**
 * Thrown by a parameter's converter. The binder catches it and re-raises it as a KrParameterBindingError
 * with the cmdlet and parameter name, so converters stay free of that context.
 */
export class ConversionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionFailure';
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'System.Object[]';
  if (typeof value === 'function') return 'System.Management.Automation.ScriptBlock';
  return Object.prototype.toString.call(value).slice(8, -1);
}

export function jsTypeName(value: unknown): string {
  // undefined reaches here inside arrays (['a', undefined]); reading .constructor of it would crash the binder.
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'System.Object[]';
  switch (typeof value) {
    case 'string':
      return 'System.String';
    case 'number':
      return Number.isInteger(value) ? 'System.Int32' : 'System.Double';
    case 'boolean':
      return 'System.Boolean';
    case 'function':
      return 'System.Management.Automation.ScriptBlock';
    default:
      return (value as object).constructor?.name ?? 'System.Object';
  }
}
