import type { LogLevel } from './log-level.ts';

export interface ConsoleSinkDefinition {
  readonly kind: 'console';
  readonly restrictedToMinimumLevel: LogLevel;
  /** Serilog-style template; see console-format.ts for the tokens it understands. */
  readonly outputTemplate: string;
  /** Events at or above this level go to stderr; undefined sends everything to stdout, as Serilog does. */
  readonly standardErrorFromLevel: LogLevel | undefined;
}

export type SinkDefinition = ConsoleSinkDefinition;

/**
 * Serilog's LoggerConfiguration, made immutable: every pipeline step returns a new configuration, so a
 * configuration that was passed on can never change under the feet of whoever holds it.
 */
export interface LoggerConfiguration {
  readonly kind: 'KrLoggerConfiguration';
  readonly minimumLevel: LogLevel;
  readonly sinks: readonly SinkDefinition[];
}

export function createLoggerConfiguration(): LoggerConfiguration {
  return Object.freeze({ kind: 'KrLoggerConfiguration', minimumLevel: 'Information', sinks: Object.freeze([]) });
}

export function withMinimumLevel(configuration: LoggerConfiguration, minimumLevel: LogLevel): LoggerConfiguration {
  return Object.freeze({ ...configuration, minimumLevel });
}

export function withSink(configuration: LoggerConfiguration, sink: SinkDefinition): LoggerConfiguration {
  return Object.freeze({ ...configuration, sinks: Object.freeze([...configuration.sinks, Object.freeze(sink)]) });
}
