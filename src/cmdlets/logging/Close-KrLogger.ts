import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { closeAllLoggers } from '../../runtime/logging/logger-manager.ts';

/**
 * Close-KrLogger: flushes and closes every registered logger.
 * @example
 * process.once('SIGTERM', () => void closeKrLogger());
 */
export const closeKrLogger = defineAsyncCmdlet('Close-KrLogger', {}, () => closeAllLoggers());
