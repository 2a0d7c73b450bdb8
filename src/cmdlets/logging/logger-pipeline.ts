import type { CmdletInput } from '../../runtime/binding/bind-parameters.ts';
import type { LoggerConfiguration } from '../../runtime/logging/logger-configuration.ts';
import type { KrLogger } from '../../runtime/logging/kr-logger.ts';
import { addKrSinkConsole, addKrSinkConsoleParameters } from './Add-KrSinkConsole.ts';
import { registerKrLogger, registerKrLoggerParameters } from './Register-KrLogger.ts';
import { setKrLoggerLevel, setKrLoggerLevelParameters } from './Set-KrLoggerLevel.ts';

type PipedInput<S> = Omit<S, 'loggerConfig'>;

/**
 * A logger configuration travelling down a pipeline. Its methods are the cmdlets that take a LoggerConfig
 * from the PowerShell pipeline, so
 * `New-KrLogger | Set-KrLoggerLevel -Value Debug | Add-KrSinkConsole | Register-KrLogger -Name x`
 * reads left to right as
 * `newKrLogger().setKrLoggerLevel({ value: 'Debug' }).addKrSinkConsole().registerKrLogger({ name: 'x' })`.
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
