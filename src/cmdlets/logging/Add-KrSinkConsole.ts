/**
 * Add-KrSinkConsole: declared beside KrLoggerConfig, whose `addKrSinkConsole` method runs it with the configuration piped in
 * (src/runtime/logging/logger-pipeline.ts).
 */
export { addKrSinkConsole, addKrSinkConsoleParameters } from '../../runtime/logging/logger-pipeline.ts';
