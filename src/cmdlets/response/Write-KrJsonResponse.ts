import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import { objectParameter, switchParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { convertToJson } from '../../runtime/context/convert-to-json.ts';
import { routeContextOrWarn } from '../../runtime/context/route-context.ts';

const CMDLET = 'Write-KrJsonResponse';

export const writeKrJsonResponseParameters = {
  inputObject: objectParameter({ mandatory: true, position: 0, fromPipeline: true }),
  // Kestrun leaves this unchecked and Kestrel fails when it applies the response; Node would hang up on a 1xx
  // or answer an unlogged text 500 past 999, so the route fails here instead (500 JSON, error logged).
  statusCode: intParameter({ min: 200, max: 999, defaultValue: '200' }),
  depth: intParameter({ min: 0, max: 100, defaultValue: '10' }),
  compress: switchParameter(),
  contentType: stringParameter({ allowEmptyString: true, defaultValue: 'application/json' }),
};

/**
 * Write-KrJsonResponse: buffers the object as JSON (PowerShell's ConvertTo-Json, depth 10 by default) with
 * `application/json; charset=utf-8`; the last write of a route wins.
 */
export const writeKrJsonResponse = defineCmdlet(CMDLET, writeKrJsonResponseParameters, ({ values }): void => {
  const context = routeContextOrWarn(CMDLET);
  if (context === undefined) return;
  const depth = values.depth ?? 10;
  const { json, truncated } = convertToJson(values.inputObject, depth, values.compress ?? false);
  if (truncated) {
    context.server.logger.warning(`Resulting JSON is truncated as serialization has exceeded the set depth of ${depth}.`);
  }
  context.response.write(json, values.statusCode ?? 200, values.contentType || 'application/json');
});
