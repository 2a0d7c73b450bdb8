import { KrCmdletError } from '../binding/cmdlet-error.ts';
import { allHosts, removeHost } from '../host/host-registry.ts';
import type { ConfiguredHost, HostRecord, HostState } from '../host/host-registry.ts';
import { writeConsole } from '../logging/kr-logger.ts';
import { closeAllLoggers } from '../logging/logger-manager.ts';
import { configureHost } from './host-engine.ts';

/**
 * Enable-KrConfiguration: builds the engine once; a second call does nothing, as in Kestrun. A definition that
 * cannot be built fails with Kestrun's "Failed to apply configuration." and stays as it was.
 */
export function ensureConfigured(cmdlet: string, record: HostRecord): ConfiguredHost {
  if (record.engine === undefined) {
    try {
      record.engine = configureHost(record);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new KrCmdletError(cmdlet, `Failed to apply configuration. ${message}`, { cause: error });
    }
    record.state = 'configured';
    record.definition.logger.debug(`Server '${record.definition.name}' configured.`);
  }
  return record.engine;
}

export interface StartOptions {
  readonly quiet: boolean;
  readonly closeLogsOnExit: boolean;
}

function print(quiet: boolean, line: string): void {
  if (!quiet) writeConsole(`${line}\n`);
}

export async function startHost(cmdlet: string, record: HostRecord, options: StartOptions): Promise<void> {
  if (record.state === 'running') throw new KrCmdletError(cmdlet, `Server '${record.definition.name}' is already running.`);
  if (record.state === 'stopped') {
    throw new KrCmdletError(cmdlet, `Server '${record.definition.name}' was stopped; create a new server with New-KrServer.`);
  }
  const engine = ensureConfigured(cmdlet, record);
  const name = record.definition.name;
  const logger = record.definition.logger;
  print(options.quiet, `Starting Kestrun server '${name}' ...`);
  logger.information(`Starting Kestrun server '${name}' ...`);
  try {
    await engine.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`Failed to start Kestrun server '${name}'. ${message}`, error);
    record.state = 'stopped';
    removeHost(record);
    if (options.closeLogsOnExit) await closeAllLoggers();
    throw new KrCmdletError(cmdlet, `Failed to start Kestrun server '${name}'. ${message}`, { cause: error });
  }
  void engine.stopped.then(async () => {
    removeHost(record);
    print(options.quiet, 'Kestrun server stopped.');
    if (options.closeLogsOnExit) await closeAllLoggers();
  });
  // Stopped while it was starting: nothing more to announce.
  if ((record.state as HostState) === 'stopped') return;
  record.state = 'running';
  watchSignals();
  print(options.quiet, 'Kestrun server started successfully.');
  for (const listener of engine.listeners) {
    print(options.quiet, `Listening on ${listener.url} with protocols: ${listener.protocols}`);
    print(
      options.quiet,
      listener.certificateSubject === undefined
        ? 'No certificate configured. Running in HTTP mode.'
        : `Using certificate: ${listener.certificateSubject}`,
    );
  }
  print(options.quiet, 'Press Ctrl+C to stop the server.');
}

/** Stops a server gracefully, a starting one included, and forgets it. */
export async function stopHost(record: HostRecord): Promise<void> {
  const wasRunning = record.state === 'running';
  record.state = 'stopped';
  if (record.engine !== undefined) {
    if (wasRunning) record.definition.logger.information(`Stopping Kestrun server '${record.definition.name}' ...`);
    await record.engine.stop();
  }
  removeHost(record);
}

/** The SIGINT/SIGTERM handler, while installed: from the first Start-KrServer on, never at import. */
let signalHandler: ((signal: NodeJS.Signals) => void) | undefined;

/**
 * SIGINT and SIGTERM stop every running server gracefully; once all are closed nothing keeps the event loop
 * alive and the process exits with 0. A second signal does not wait any longer.
 */
function watchSignals(): void {
  if (signalHandler !== undefined) return;
  let received = false;
  signalHandler = (signal) => {
    if (received) process.exit(signal === 'SIGINT' ? 130 : 143);
    received = true;
    void Promise.all(allHosts().filter((record) => record.state === 'running').map((record) => stopHost(record)));
  };
  process.on('SIGINT', signalHandler);
  process.on('SIGTERM', signalHandler);
}

/** Stops every running server and removes the signal handlers; for tests, through resetKrRuntimeForTests. */
export async function stopAllForTests(): Promise<void> {
  await Promise.all(allHosts().map((record) => stopHost(record)));
  if (signalHandler !== undefined) {
    process.off('SIGINT', signalHandler);
    process.off('SIGTERM', signalHandler);
    signalHandler = undefined;
  }
}
