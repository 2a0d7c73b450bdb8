import { isServerDefinition } from './server-definition.ts';
import type { ServerReference } from './resolve-server.ts';

/** A server is named by its definition (any version of it) or by its name. */
export function isServerReference(value: unknown): value is ServerReference {
  return typeof value === 'string' || isServerDefinition(value);
}

/** How cmdlets pick the server when `server` is left out, as the cmdlet reference says it. */
export const SERVER_DEFAULT = 'the server handling the current request, else the default server';
