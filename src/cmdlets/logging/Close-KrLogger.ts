import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { closeAllLoggers } from '../../runtime/logging/logger-manager.ts';

/**
 * Close-KrLogger: flushes and closes every registered logger.
 * @example
 * await startKrServer(); // resolves once the server has stopped
 * await closeKrLogger();
 */
export const closeKrLogger = defineAsyncCmdlet('Close-KrLogger', {}, () => closeAllLoggers());
