/**
 * Set-KrLoggerLevel: declared beside KrLoggerConfig, whose `setKrLoggerLevel` method runs it with the configuration piped in
 * (src/runtime/logging/logger-pipeline.ts).
 */
export { setKrLoggerLevel, setKrLoggerLevelParameters } from '../../runtime/logging/logger-pipeline.ts';
