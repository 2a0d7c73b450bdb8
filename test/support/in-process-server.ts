import { randomUUID } from 'node:crypto';
import { addKrEndpoint, listeningUrls, newKrServer, startKrServer, stopKrServer } from '../../src/index.ts';
import type { ServerDefinition } from '../../src/index.ts';
import { CaptureLogger } from './capture-logger.ts';

export interface InProcessServer {
  readonly name: string;
  readonly url: string;
  readonly logger: CaptureLogger;
  stop(): Promise<void>;
}

export interface InProcessOptions {
  readonly tls?: boolean;
  /** Where the server logs; a fresh CaptureLogger when not given. */
  readonly logger?: CaptureLogger;
}

/**
 * Defines a server in this process, as a script would, on a free port, lets `define` add sessions and routes
 * to it (it is the default server meanwhile), starts it and returns its URL. Logs go to a CaptureLogger.
 */
export async function startInProcess(
  define: (server: ServerDefinition) => void,
  options: InProcessOptions = {},
): Promise<InProcessServer> {
  const name = `test-${randomUUID()}`;
  const logger = options.logger ?? new CaptureLogger();
  const server = newKrServer({ name, logger, default: true });
  addKrEndpoint({ port: 0, ipAddress: '127.0.0.1', selfSignedCert: options.tls ?? false });
  define(server);
  await startKrServer({ server: name, noWait: true, quiet: true });
  const url = listeningUrls(name)[0];
  if (url === undefined) throw new Error(`Server ${name} has no listener`);
  return { name, url, logger, stop: () => stopKrServer({ server: name, quiet: true }) };
}
