import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { stringParameter, switchParameter, typedParameter } from '../../runtime/binding/parameter.ts';
import { registerLogger } from '../../runtime/logging/logger-manager.ts';
import { isKrLoggerConfig } from './logger-pipeline.ts';

export const registerKrLoggerParameters = {
  name: stringParameter({ mandatory: true }),
  loggerConfig: typedParameter(isKrLoggerConfig, 'Serilog.LoggerConfiguration', { mandatory: true, fromPipeline: true }),
  setAsDefault: switchParameter(),
  passThru: switchParameter(),
};

/**
 * Register-KrLogger: creates the logger under a case-insensitive name, replacing (and closing) one of the same
 * name; `setAsDefault` makes it the logger that servers created afterwards write to.
 */
export const registerKrLogger = defineCmdlet('Register-KrLogger', registerKrLoggerParameters, ({ values }) => {
  const logger = registerLogger('Register-KrLogger', values.name, values.loggerConfig.configuration, values.setAsDefault ?? false);
  return values.passThru ? logger : undefined;
});
