/** Parameters that take what the script passes once it is checked: a [switch], a value of a declared kind, any value. */
import { ConversionFailure, describeValue, jsTypeName } from './conversion-failure.ts';
import { declareParameter } from './parameter.ts';
import type { CommonOptions, Parameter } from './parameter.ts';

/** A PowerShell [switch]: only booleans (and 0/1) are accepted, so a typo such as 'yes' cannot pass silently. */
export function switchParameter<const A extends string = never>(
  options: CommonOptions<false, A> = {},
): Parameter<boolean, boolean, false, A> {
  return declareParameter(options, { typeName: 'System.Management.Automation.SwitchParameter', isSwitch: true }, (value, psName) => {
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    throw new ConversionFailure(
      `Cannot process argument transformation on parameter '${psName}'. Cannot convert value "${describeValue(value)}" to type "System.Management.Automation.SwitchParameter". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
    );
  });
}

/** A value of a declared kind, checked by a type guard (a cookie builder, a logger configuration, a script block). */
export function typedParameter<T, const R extends boolean = false, const A extends string = never>(
  isValid: (value: unknown) => value is T,
  typeName: string,
  options: CommonOptions<R, A> = {},
): Parameter<T, T, R, A> {
  return declareParameter(options, { typeName }, (value, psName) => {
    if (isValid(value)) return value;
    throw new ConversionFailure(
      `Cannot bind parameter '${psName}'. Cannot convert the "${describeValue(value)}" value of type "${jsTypeName(value)}" to type "${typeName}".`,
    );
  });
}

/** Any value at all, as PowerShell's [object] parameters take (Write-KrJsonResponse -InputObject). */
export function objectParameter<const R extends boolean = false, const A extends string = never>(
  options: CommonOptions<R, A> = {},
): Parameter<unknown, unknown, R, A> {
  return declareParameter(options, { typeName: 'System.Object', allowEmptyString: true }, (value) => value);
}
