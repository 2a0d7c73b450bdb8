/**
 * Register-KrLogger: declared beside KrLoggerConfig, whose `registerKrLogger` method runs it with the configuration piped in
 * (src/runtime/logging/logger-pipeline.ts).
 */
export { registerKrLogger, registerKrLoggerParameters } from '../../runtime/logging/logger-pipeline.ts';
