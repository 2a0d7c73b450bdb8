/** wrk, the load generator of every mode, from Debian's package. */
import { ensureDebianCommand } from '../lifecycle/debian-command.ts';

/** Returns wrk's version line, installing wrk first when it is missing. */
export function ensureWrk(): string {
  return ensureDebianCommand({ command: 'wrk', versionArgs: ['-v'], debianPackage: 'wrk' });
}
