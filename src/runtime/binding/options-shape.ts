import { KrCmdletError } from './cmdlet-error.ts';

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object parameter shaped like a .NET options class (SessionOptions, RedisCacheOptions). PowerShell reads
 * property names case-insensitively, so `{ IdleTimeout: 30 }` must mean `{ idleTimeout: 30 }` and not be
 * silently ignored.
 */
export class OptionsShape<T extends object> {
  private readonly byLowerCase: ReadonlyMap<string, keyof T & string>;

  constructor(keys: readonly (keyof T & string)[]) {
    this.byLowerCase = new Map(keys.map((key) => [key.toLowerCase(), key]));
  }

  /** A type guard for typedParameter: a plain object whose every property is one of the shape's. */
  readonly matches = (value: unknown): value is T =>
    isPlainObject(value) && Object.keys(value).every((key) => this.byLowerCase.has(key.toLowerCase()));

  /** The object with its properties in canonical spelling; a property given twice in two spellings is an error. */
  canonical(cmdlet: string, parameter: string, options: T): T {
    const canonical: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options)) {
      const name = this.byLowerCase.get(key.toLowerCase()) as string;
      if (name in canonical) {
        throw new KrCmdletError(cmdlet, `${parameter.charAt(0).toLowerCase()}${parameter.slice(1)} sets '${name}' more than once (property names are case-insensitive).`, {
          parameter,
        });
      }
      canonical[name] = value;
    }
    return canonical as T;
  }
}
