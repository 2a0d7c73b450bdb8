import { KrCmdletError } from '../binding/cmdlet-error.ts';
import { createKrLogger } from './kr-logger.ts';
import type { KrLogger } from './kr-logger.ts';
import { DEFAULT_OUTPUT_TEMPLATE } from './console-format.ts';
import { createLoggerConfiguration, withSink } from './logger-configuration.ts';
import type { LoggerConfiguration } from './logger-configuration.ts';

/**
 * Named loggers, as Kestrun's LoggerManager keeps them: names are case-insensitive, registering a name again
 * closes and replaces the old logger, and one logger may be the process-wide default that servers pick up
 * when they are created.
 */
const loggers = new Map<string, KrLogger>();
let createdConfigurations = new WeakSet<LoggerConfiguration>();
let defaultLogger: KrLogger | undefined;
let fallbackLogger: KrLogger | undefined;

export function registerLogger(
  cmdlet: string,
  name: string,
  configuration: LoggerConfiguration,
  setAsDefault: boolean,
): KrLogger {
  if (createdConfigurations.has(configuration)) {
    // Serilog's own rule: a LoggerConfiguration turns into a logger once.
    throw new KrCmdletError(cmdlet, 'CreateLogger() was previously called and can only be called once.', {
      parameter: 'LoggerConfig',
    });
  }
  createdConfigurations.add(configuration);
  const key = name.toLowerCase();
  const previous = loggers.get(key);
  const logger = createKrLogger(name, configuration);
  loggers.set(key, logger);
  if (previous !== undefined) {
    if (defaultLogger === previous) defaultLogger = logger;
    void previous.close();
  }
  if (setAsDefault) defaultLogger = logger;
  return logger;
}

export function getLogger(name: string): KrLogger | undefined {
  return loggers.get(name.toLowerCase());
}

/**
 * Serilog's default Log.Logger is silent. Ours writes Information and above to the console instead, so a
 * script that registers no logger still shows its errors (see docs/deviations.md).
 */
export function getDefaultLogger(): KrLogger {
  if (defaultLogger !== undefined) return defaultLogger;
  fallbackLogger ??= createKrLogger(
    undefined,
    withSink(createLoggerConfiguration(), {
      kind: 'console',
      restrictedToMinimumLevel: 'Verbose',
      outputTemplate: DEFAULT_OUTPUT_TEMPLATE,
      standardErrorFromLevel: undefined,
    }),
  );
  return fallbackLogger;
}

/** Close-KrLogger: flush and close every logger and forget them, so that a later script starts clean. */
export async function closeAllLoggers(): Promise<void> {
  const all = new Set<KrLogger>([...loggers.values()]);
  if (fallbackLogger !== undefined) all.add(fallbackLogger);
  loggers.clear();
  defaultLogger = undefined;
  fallbackLogger = undefined;
  await Promise.all([...all].map((logger) => logger.close()));
}

/**
 * The logging module's one reset, for tests: closes (and so flushes) every logger made here, forgets names, the
 * default and the fallback logger, and which configurations were used, as in a fresh process.
 */
export async function resetLoggers(): Promise<void> {
  createdConfigurations = new WeakSet<LoggerConfiguration>();
  await closeAllLoggers();
}
