import { defineCmdlet } from '../binding/define-cmdlet.ts';
import type { CmdletInput } from '../binding/parameter-schema.ts';
import { switchParameter, typedParameter } from '../binding/switch-and-object-parameters.ts';
import { enumParameter, stringParameter } from '../binding/text-parameters.ts';
import { DEFAULT_OUTPUT_TEMPLATE } from './console-format.ts';
import type { KrLogger } from './kr-logger.ts';
import { LOG_LEVELS } from './log-level.ts';
import { withMinimumLevel, withSink } from './logger-configuration.ts';
import type { LoggerConfiguration } from './logger-configuration.ts';
import { registerLogger } from './logger-manager.ts';

type PipedInput<S> = Omit<S, 'loggerConfig'>;

/**
 * A logger configuration travelling down a pipeline. Its methods are the cmdlets that take a LoggerConfig
 * from the PowerShell pipeline, so
 * `New-KrLogger | Set-KrLoggerLevel -Value Debug | Add-KrSinkConsole | Register-KrLogger -Name x`
 * reads left to right as
 * `newKrLogger().setKrLoggerLevel({ value: 'Debug' }).addKrSinkConsole().registerKrLogger({ name: 'x' })`.
 * Those cmdlets are declared below, with the class they take and return, so that no module imports another back.
 */
export class KrLoggerConfig {
  constructor(readonly configuration: LoggerConfiguration) {
    Object.freeze(this);
  }

  setKrLoggerLevel(input: PipedInput<CmdletInput<typeof setKrLoggerLevelParameters>>): KrLoggerConfig {
    return setKrLoggerLevel({ ...input, loggerConfig: this } as CmdletInput<typeof setKrLoggerLevelParameters>);
  }

  addKrSinkConsole(input: PipedInput<CmdletInput<typeof addKrSinkConsoleParameters>> = {}): KrLoggerConfig {
    return addKrSinkConsole({ ...input, loggerConfig: this } as CmdletInput<typeof addKrSinkConsoleParameters>);
  }

  registerKrLogger(input: PipedInput<CmdletInput<typeof registerKrLoggerParameters>>): KrLogger | undefined {
    return registerKrLogger({ ...input, loggerConfig: this } as CmdletInput<typeof registerKrLoggerParameters>);
  }
}

export function isKrLoggerConfig(value: unknown): value is KrLoggerConfig {
  return value instanceof KrLoggerConfig;
}

const loggerConfigParameter = typedParameter(isKrLoggerConfig, 'Serilog.LoggerConfiguration', { mandatory: true, fromPipeline: true });

export const setKrLoggerLevelParameters = {
  loggerConfig: loggerConfigParameter,
  value: enumParameter(LOG_LEVELS, 'Serilog.Events.LogEventLevel', { mandatory: true, aliases: ['level'] }),
};

/** Set-KrLoggerLevel: the configuration's minimum level; returns the (new) configuration for the pipeline. */
export const setKrLoggerLevel = defineCmdlet('Set-KrLoggerLevel', setKrLoggerLevelParameters, ({ values }) =>
  new KrLoggerConfig(withMinimumLevel(values.loggerConfig.configuration, values.value)),
);

export const addKrSinkConsoleParameters = {
  loggerConfig: loggerConfigParameter,
  restrictedToMinimumLevel: enumParameter(LOG_LEVELS, 'Serilog.Events.LogEventLevel', { defaultValue: 'Verbose' }),
  outputTemplate: stringParameter({ defaultValue: "Serilog's default console template" }),
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

export const registerKrLoggerParameters = {
  name: stringParameter({ mandatory: true }),
  loggerConfig: loggerConfigParameter,
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
