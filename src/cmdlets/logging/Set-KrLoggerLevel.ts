import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { enumParameter, typedParameter } from '../../runtime/binding/parameter.ts';
import { LOG_LEVELS } from '../../runtime/logging/log-level.ts';
import { withMinimumLevel } from '../../runtime/logging/logger-configuration.ts';
import { isKrLoggerConfig, KrLoggerConfig } from './logger-pipeline.ts';

export const setKrLoggerLevelParameters = {
  loggerConfig: typedParameter(isKrLoggerConfig, 'Serilog.LoggerConfiguration', { mandatory: true, fromPipeline: true }),
  value: enumParameter(LOG_LEVELS, 'Serilog.Events.LogEventLevel', { mandatory: true, aliases: ['level'] }),
};

/** Set-KrLoggerLevel: the configuration's minimum level; returns the (new) configuration for the pipeline. */
export const setKrLoggerLevel = defineCmdlet('Set-KrLoggerLevel', setKrLoggerLevelParameters, ({ values }) =>
  new KrLoggerConfig(withMinimumLevel(values.loggerConfig.configuration, values.value)),
);
