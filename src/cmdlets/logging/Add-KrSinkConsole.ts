import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { enumParameter, stringParameter, typedParameter } from '../../runtime/binding/parameter.ts';
import { DEFAULT_OUTPUT_TEMPLATE } from '../../runtime/logging/console-format.ts';
import { LOG_LEVELS } from '../../runtime/logging/log-level.ts';
import { withSink } from '../../runtime/logging/logger-configuration.ts';
import { isKrLoggerConfig, KrLoggerConfig } from './logger-pipeline.ts';

export const addKrSinkConsoleParameters = {
  loggerConfig: typedParameter(isKrLoggerConfig, 'Serilog.LoggerConfiguration', { mandatory: true, fromPipeline: true }),
  restrictedToMinimumLevel: enumParameter(LOG_LEVELS, 'Serilog.Events.LogEventLevel'),
  outputTemplate: stringParameter(),
  standardErrorFromLevel: enumParameter(LOG_LEVELS, 'Serilog.Events.LogEventLevel'),
};

/** Add-KrSinkConsole: writes `[HH:mm:ss LVL] message` lines, Serilog's default console template. */
export const addKrSinkConsole = defineCmdlet('Add-KrSinkConsole', addKrSinkConsoleParameters, ({ values }) =>
  new KrLoggerConfig(
    withSink(values.loggerConfig.configuration, {
      kind: 'console',
      restrictedToMinimumLevel: values.restrictedToMinimumLevel ?? 'Verbose',
      outputTemplate: values.outputTemplate ?? DEFAULT_OUTPUT_TEMPLATE,
      standardErrorFromLevel: values.standardErrorFromLevel,
    }),
  ),
);
