import { KrCmdletError } from '../binding/cmdlet-error.ts';
import { currentContext } from '../context/current-context.ts';
import { defaultHost, findHost, hostOfHandle } from './host-registry.ts';
import type { HostRecord } from './host-registry.ts';
import type { ServerDefinition } from './server-definition.ts';

export type ServerReference = ServerDefinition | string;

/**
 * Kestrun's Resolve-KestrunServer: the `server` parameter if given, else the server handling the current
 * request (what $KrServer is inside a route), else the default server. A definition of any age resolves to
 * its host, so a script can keep passing the definition it got from New-KrServer.
 */
export function resolveServer(cmdlet: string, server: ServerReference | undefined): HostRecord {
  const record =
    server !== undefined
      ? findHost(typeof server === 'string' ? server : server.name)
      : (currentHost() ?? defaultHost());
  if (record === undefined) {
    if (server !== undefined) {
      const name = typeof server === 'string' ? server : server.name;
      throw new KrCmdletError(cmdlet, `No Kestrun server instance named '${name}' was found.`, { parameter: 'Server' });
    }
    throw new KrCmdletError(cmdlet, 'No Kestrun server instance found. Please create a Kestrun server instance.');
  }
  return record;
}

function currentHost(): HostRecord | undefined {
  const handle = currentContext()?.server;
  return handle === undefined ? undefined : hostOfHandle(handle);
}

/**
 * Kestrun silently ignores definition cmdlets called after Enable-KrConfiguration. We refuse them, so a
 * setting that could not take effect is never lost without a word (docs/deviations.md).
 */
export function assertNotConfigured(cmdlet: string, record: HostRecord): void {
  if (record.state !== 'defined') {
    throw new KrCmdletError(
      cmdlet,
      `Server '${record.definition.name}' is already configured; ${cmdlet} must be called before Enable-KrConfiguration and Start-KrServer.`,
    );
  }
}
