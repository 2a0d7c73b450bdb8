import { resolveServer } from '../host/resolve-server.ts';
import type { ServerReference } from '../host/resolve-server.ts';

/**
 * The URLs a started server listens on, with the real port where the endpoint asked for port 0. Kestrun picks
 * that port while the endpoint is defined; here the operating system picks it when the server starts.
 */
export function listeningUrls(server?: ServerReference): readonly string[] {
  const record = resolveServer('listeningUrls', server);
  return record.engine?.listeners.map((listener) => listener.url) ?? [];
}
