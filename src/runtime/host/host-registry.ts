import { KrCmdletError } from '../binding/cmdlet-error.ts';
import type { KrServerHandle } from '../context/kr-context.ts';
import type { KrLogger } from '../logging/kr-logger.ts';
import { freezeDefinition } from './server-definition.ts';
import type { HttpProtocols, ServerDefinition } from './server-definition.ts';

export type HostState = 'defined' | 'configured' | 'running' | 'stopped';

export interface ListenerDescription {
  readonly url: string;
  readonly protocols: HttpProtocols;
  readonly certificateSubject: string | undefined;
}

/** The engine behind a configured server; the pipeline module builds it. */
export interface ConfiguredHost {
  addRoute(route: ServerDefinition['routes'][number]): void;
  /** Starts listening on every endpoint; resolves once all of them accept connections. */
  start(): Promise<readonly string[]>;
  /** Stops accepting, waits for in-flight requests up to the grace period, and releases every resource. */
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
  /** What the server listens on, once started. */
  readonly listeners: readonly ListenerDescription[];
}

/** A named server: its newest definition and, once configured, the engine that serves it. */
export interface HostRecord {
  definition: ServerDefinition;
  state: HostState;
  engine: ConfiguredHost | undefined;
  /** What its routes see of it (KrContext.server). */
  readonly handle: KrServerHandle;
}

const hosts = new Map<string, HostRecord>();
let defaultHostKey: string | undefined;
const hostsByHandle = new WeakMap<KrServerHandle, HostRecord>();

/** A record for a definition, not registered: createHost registers it; test harnesses use it as it is. */
export function hostRecord(definition: ServerDefinition, state: HostState = 'defined'): HostRecord {
  const record: HostRecord = {
    definition: freezeDefinition(definition),
    state,
    engine: undefined,
    handle: {
      get name() {
        return record.definition.name;
      },
      get logger() {
        return record.definition.logger;
      },
    },
  };
  hostsByHandle.set(record.handle, record);
  return record;
}

/** The host whose routes see `handle` as their server. */
export function hostOfHandle(handle: KrServerHandle): HostRecord | undefined {
  return hostsByHandle.get(handle);
}

export function createHost(
  cmdlet: string,
  name: string,
  logger: KrLogger,
  environment: string,
  makeDefault: boolean,
): HostRecord {
  if (name.trim() === '') throw new KrCmdletError(cmdlet, 'Instance name is required.', { parameter: 'Name' });
  const key = name.toLowerCase();
  if (hosts.has(key)) {
    throw new KrCmdletError(
      cmdlet,
      `A KestrunHost instance with the name '${name}' already exists. Pass force: true to stop and replace it.`,
      { parameter: 'Name' },
    );
  }
  const record = hostRecord({
    kind: 'KrServer',
    name,
    environment,
    logger,
    endpoints: [],
    cache: undefined,
    session: undefined,
    routes: [],
  });
  hosts.set(key, record);
  if (makeDefault || defaultHostKey === undefined) defaultHostKey = key;
  return record;
}

export function findHost(name: string): HostRecord | undefined {
  return hosts.get(name.toLowerCase());
}

export function defaultHost(): HostRecord | undefined {
  return defaultHostKey === undefined ? undefined : hosts.get(defaultHostKey);
}

/** Forgets a host. The default moves to the first remaining one, as Kestrun's KestrunHostManager does. */
export function removeHost(record: HostRecord): void {
  const key = record.definition.name.toLowerCase();
  if (hosts.get(key) !== record) return;
  hosts.delete(key);
  if (defaultHostKey === key) defaultHostKey = hosts.keys().next().value;
}

export function allHosts(): readonly HostRecord[] {
  return [...hosts.values()];
}

/** Points the host at a new definition and returns that definition, frozen. */
export function commitDefinition(record: HostRecord, definition: ServerDefinition): ServerDefinition {
  record.definition = freezeDefinition(definition);
  return record.definition;
}

/** Forgets every host, running or not; for tests, through resetKrRuntimeForTests. */
export function resetHostRegistry(): void {
  hosts.clear();
  defaultHostKey = undefined;
}
