import { KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import { objectParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { powerShellText } from '../../runtime/context/powershell-text.ts';
import { routeContextOrWarn } from '../../runtime/context/route-context.ts';

const CMDLET = 'Write-KrTextResponse';

export const writeKrTextResponseParameters = {
  inputObject: objectParameter({ mandatory: true, aliases: ['text'], position: 0, fromPipeline: true }),
  // Kestrun leaves this unchecked and Kestrel fails when it applies the response; Node would hang up on a 1xx
  // or answer an unlogged text 500 past 999, so the route fails here instead (500 JSON, error logged).
  statusCode: intParameter({ min: 200, max: 999, defaultValue: '200' }),
  contentType: stringParameter({ allowEmptyString: true, defaultValue: 'text/plain' }),
};

/** Write-KrTextResponse: buffers the text with `text/plain; charset=utf-8`; the last write of a route wins. */
export const writeKrTextResponse = defineCmdlet(CMDLET, writeKrTextResponseParameters, ({ values }): void => {
  const context = routeContextOrWarn(CMDLET);
  if (context === undefined) return;
  if (values.inputObject === null || values.inputObject === undefined) {
    throw new KrCmdletError(CMDLET, 'Input object cannot be null for text response.', { parameter: 'InputObject' });
  }
  context.response.write(powerShellText(values.inputObject), values.statusCode ?? 200, values.contentType || 'text/plain');
});
