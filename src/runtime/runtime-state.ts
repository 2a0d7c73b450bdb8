/**
 * The runtime's process-wide state, and its one reset for tests. The state: the host registry (servers by name, and
 * the default one), the SIGINT/SIGTERM handlers that the first Start-KrServer installs, the loggers by name (and the
 * exit handler their console sinks hold), and the current-context storage, which holds a request only while its
 * route runs and so needs no reset. Module state added elsewhere joins the reset here.
 */
import { resetHostRegistry } from './host/host-registry.ts';
import { resetLoggers } from './logging/logger-manager.ts';
import { stopAllForTests } from './server/lifecycle.ts';

/**
 * Stops every server, forgets every server and logger name, closes the loggers and removes the signal handlers, as if
 * the process had just started.
 */
export async function resetKrRuntimeForTests(): Promise<void> {
  await stopAllForTests();
  resetHostRegistry();
  await resetLoggers();
}
