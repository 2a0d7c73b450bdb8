import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import type { CmdletInput } from '../../runtime/binding/parameter-schema.ts';
import { inParameterSets } from '../../runtime/binding/parameter.ts';
import { switchParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { routeContextOrWarn } from '../../runtime/context/route-context.ts';
import { convertQueryValue } from '../../runtime/context/query-conversion.ts';

const CMDLET = 'Get-KrRequestQuery';

export const getKrRequestQueryParameters = {
  name: stringParameter({ mandatory: true, position: 0 }),
  asInt: inParameterSets(['Int'], switchParameter()),
  asBool: inParameterSets(['Bool'], switchParameter({ aliases: ['asBoolean'] })),
  asDouble: inParameterSets(['Double'], switchParameter()),
  asString: inParameterSets(['String'], switchParameter()),
  throwIfMissing: switchParameter(),
};

/**
 * Get-KrRequestQuery: a query-string value, URL-decoded, repeated keys joined with commas, looked up
 * case-sensitively as Kestrun's dictionary does. Missing: undefined, or 0 / false with asInt, asDouble,
 * asBool, as PowerShell's casts of $null give.
 */
export const getKrRequestQuery = defineCmdlet(
  CMDLET,
  getKrRequestQueryParameters,
  ({ values, parameterSet }): string | number | boolean | undefined => {
    const context = routeContextOrWarn(CMDLET);
    if (context === undefined) return undefined;
    const raw = context.request.query[values.name];
    if (raw === undefined && values.throwIfMissing) {
      throw new KrCmdletError(CMDLET, `Missing required query parameter: ${values.name}`, { parameter: 'Name' });
    }
    try {
      return convertQueryValue(raw, parameterSet);
    } catch (error) {
      throw cmdletErrorFrom(CMDLET, error);
    }
  },
  { parameterSets: ['Default', 'Int', 'Bool', 'Double', 'String'], defaultParameterSet: 'Default' },
) as GetKrRequestQuery;

type Input = CmdletInput<typeof getKrRequestQueryParameters>;

/** The return type follows the switch, as the PowerShell parameter sets do. */
interface GetKrRequestQuery {
  (input: Input & { asInt: true }): number | undefined;
  (input: Input & { asDouble: true }): number | undefined;
  (input: Input & { asBool: true }): boolean | undefined;
  (input: Input & { asBoolean: true }): boolean | undefined;
  (input: Input): string | undefined;
}
