/**
 * The runtime's process-wide state, and its one reset for tests. The state: the host registry (servers by name, and
 * the default one), the SIGINT/SIGTERM handlers that the first Start-KrServer installs, and the current-context
 * storage, which switches itself off whenever no route runs and so needs no reset. Module state added elsewhere joins
 * the reset here.
 */
import { resetHostRegistry } from './host/host-registry.ts';
import { stopAllForTests } from './server/lifecycle.ts';

/** Stops every server, forgets every server name and removes the signal handlers, as if the process had just started. */
export async function resetKrRuntimeForTests(): Promise<void> {
  await stopAllForTests();
  resetHostRegistry();
}
