import type { KrLogger } from '../logging/kr-logger.ts';
import type { MemoryDistributedCacheOptions } from '../cache/memory-cache.ts';
import type { RedisConnectionSettings } from '../cache/redis/redis-connection-settings.ts';
import type { KrContext } from '../context/kr-context.ts';
import type { EndpointBinding } from '../endpoint/endpoint-binding.ts';
import type { SessionDefinition } from '../session/session-definition.ts';

export type { SessionDefinition, SessionStoreErrorMode } from '../session/session-definition.ts';

export const HTTP_VERBS = ['Get', 'Head', 'Post', 'Put', 'Patch', 'Delete', 'Options', 'Trace'] as const;
export type HttpVerb = (typeof HTTP_VERBS)[number];

export type RouteHandler = (context: KrContext) => void | Promise<void>;

export interface RouteDefinition {
  readonly verbs: readonly HttpVerb[];
  readonly pattern: string;
  readonly scriptBlock: RouteHandler;
}

export type EndpointTls =
  | { readonly kind: 'selfSigned' }
  | { readonly kind: 'certificateFile'; readonly path: string; readonly password: string | undefined };

export const HTTP_PROTOCOLS = ['None', 'Http1', 'Http2', 'Http1AndHttp2', 'Http3', 'Http1AndHttp2AndHttp3'] as const;
export type HttpProtocols = (typeof HTTP_PROTOCOLS)[number];

export interface EndpointDefinition {
  /** Where to listen; a port of 0 means a free port chosen by the operating system at start. */
  readonly binding: EndpointBinding;
  readonly tls: EndpointTls | undefined;
  readonly protocols: HttpProtocols;
  readonly useConnectionLogging: boolean;
}

export type CacheDefinition =
  /** `implicit` marks the cache Add-KrSession adds on its own, which a later Redis cache replaces. */
  | { readonly kind: 'memory'; readonly options: MemoryDistributedCacheOptions; readonly implicit: boolean }
  | { readonly kind: 'redis'; readonly settings: RedisConnectionSettings; readonly instanceName: string };

/**
 * A server, as the script has described it so far. Every definition cmdlet returns a new frozen definition
 * and leaves the old one as it was; the host registry then points at the newest.
 */
export interface ServerDefinition {
  readonly kind: 'KrServer';
  readonly name: string;
  readonly environment: string;
  readonly logger: KrLogger;
  readonly endpoints: readonly EndpointDefinition[];
  readonly cache: CacheDefinition | undefined;
  readonly session: SessionDefinition | undefined;
  readonly routes: readonly RouteDefinition[];
}

export function isServerDefinition(value: unknown): value is ServerDefinition {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'KrServer';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) {
      if (typeof member === 'object' && member !== null && !isKrLoggerLike(member)) deepFreeze(member);
    }
  }
  return value;
}

function isKrLoggerLike(value: object): boolean {
  return typeof (value as { write?: unknown }).write === 'function';
}

export function freezeDefinition(definition: ServerDefinition): ServerDefinition {
  return deepFreeze(definition);
}
