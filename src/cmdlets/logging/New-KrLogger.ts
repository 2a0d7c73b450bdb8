import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { createLoggerConfiguration } from '../../runtime/logging/logger-configuration.ts';
import { KrLoggerConfig } from '../../runtime/logging/logger-pipeline.ts';

/** New-KrLogger: a fresh configuration at Serilog's default level, Information, with no sinks (silent). */
export const newKrLogger = defineCmdlet('New-KrLogger', {}, () => new KrLoggerConfig(createLoggerConfiguration()));
