/** Parameters bound from text: strings (with ValidateSet and ValidatePattern) and enums, each alone or as an array. */
import { ConversionFailure, describeValue, jsTypeName } from './conversion-failure.ts';
import { declareParameter } from './parameter.ts';
import type { CommonOptions, Parameter } from './parameter.ts';

interface StringOptions<R extends boolean, A extends string> extends CommonOptions<R, A> {
  readonly allowEmptyString?: boolean;
  /** ValidatePattern: the regular expression and the text PowerShell shows for it. */
  readonly pattern?: RegExp;
  /** ValidateSet, matched case-insensitively and returned in its declared spelling. */
  readonly validateSet?: readonly string[];
}

export function stringParameter<const R extends boolean = false, const A extends string = never>(
  options: StringOptions<R, A> = {},
): Parameter<string, string, R, A> {
  const facts = {
    typeName: 'System.String',
    accepted: options.validateSet,
    pattern: options.pattern,
    allowEmptyString: options.allowEmptyString,
  };
  return declareParameter(
    options,
    facts,
    (value, psName) => {
      if (typeof value !== 'string') {
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw new ConversionFailure(
          `Cannot bind parameter '${psName}'. Cannot convert the "${describeValue(value)}" value of type "${jsTypeName(value)}" to type "System.String".`,
        );
      }
      if (options.validateSet !== undefined) {
        const match = options.validateSet.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
        if (match === undefined) {
          throw new ConversionFailure(
            `Cannot validate argument on parameter '${psName}'. The argument "${value}" does not belong to the set "${options.validateSet.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
          );
        }
        return match;
      }
      if (options.pattern !== undefined && !options.pattern.test(value)) {
        const source = options.pattern.source;
        throw new ConversionFailure(
          `Cannot validate argument on parameter '${psName}'. The argument "${value}" does not match the "${source}" pattern. Supply an argument that matches "${source}" and try the command again.`,
        );
      }
      return value;
    },
  );
}

export function stringArrayParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<readonly string[], string | readonly string[], R, A> {
  const element = stringParameter({ allowEmptyString: true });
  return declareParameter(options, { typeName: 'System.String[]' }, (value, psName) => {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return Object.freeze(items.map((item) => element.convert(item, psName)));
  });
}

function enumMember<E extends string>(value: unknown, psName: string, members: readonly E[], typeName: string): E {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const match = text === undefined ? undefined : members.find((member) => member.toLowerCase() === text.toLowerCase());
  if (match !== undefined) return match;
  throw new ConversionFailure(
    `Cannot bind parameter '${psName}'. Cannot convert value "${describeValue(value)}" to type "${typeName}". Error: "Unable to match the identifier name ${describeValue(value)} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${members.join(', ')}"`,
  );
}

/** An enum value, matched case-insensitively ('lax', 'Lax' and 'LAX' all bind to 'Lax'). */
export function enumParameter<const E extends string, const R extends boolean = false, const A extends string = never>(
  members: readonly E[],
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<E, E | Lowercase<E> | Uppercase<E> | (string & {}), R, A> {
  return declareParameter(options, { typeName, accepted: members }, (value, psName) => enumMember(value, psName, members, typeName));
}

export function enumArrayParameter<const E extends string, const R extends boolean = false, const A extends string = never>(
  members: readonly E[],
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<readonly E[], E | (string & {}) | readonly (E | (string & {}))[], R, A> {
  return declareParameter(options, { typeName: `${typeName}[]`, accepted: members }, (value, psName) => {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    return Object.freeze(items.map((item) => enumMember(item, psName, members, typeName)));
  });
}
