import { getRequestListener } from '@hono/node-server';
import type { RequestListener } from 'node:http';
import type { SecureContextOptions } from 'node:tls';
import type { DistributedCache } from '../cache/distributed-cache.ts';
import { MemoryDistributedCache } from '../cache/memory-cache.ts';
import { RedisDistributedCache } from '../cache/redis/redis-cache.ts';
import type { ConfiguredHost, HostRecord, ListenerDescription } from '../host/host-registry.ts';
import type { CacheDefinition, EndpointDefinition, HttpProtocols, ServerDefinition } from '../host/server-definition.ts';
import type { KrLogger } from '../logging/kr-logger.ts';
import { buildApp } from '../pipeline/build-app.ts';
import type { ServerApp } from '../pipeline/build-app.ts';
import { SessionEngine } from '../session/session-engine.ts';
import { loadCertificateFile } from '../tls/certificate-file.ts';
import { createDevelopmentCertificate } from '../tls/development-certificate.ts';
import { resolveListenAddresses } from '../endpoint/listen-addresses.ts';
import { createListener, listen } from './create-listener.ts';
import { GracefulServer } from './graceful-server.ts';

/** Kestrun sets HostOptions.ShutdownTimeout to 5 s: requests in flight get that long to finish. */
export const SHUTDOWN_GRACE_MS = 5000;

type ServerTls = SecureContextOptions & { readonly subject: string };

function createCache(definition: CacheDefinition, logger: KrLogger): DistributedCache {
  if (definition.kind === 'memory') return new MemoryDistributedCache(definition.options);
  return new RedisDistributedCache(definition.settings, {
    instanceName: definition.instanceName,
    log: (level, message, error) => logger.write(level === 'information' ? 'Information' : level === 'warning' ? 'Warning' : level === 'error' ? 'Error' : 'Debug', message, error),
  });
}

function effectiveProtocols(endpoint: EndpointDefinition, logger: KrLogger): HttpProtocols {
  if (endpoint.tls === undefined && endpoint.protocols === 'Http1AndHttp2') return 'Http1';
  if (endpoint.protocols === 'Http3' || endpoint.protocols === 'Http1AndHttp2AndHttp3') {
    logger.warning('HTTP/3 (QUIC) is not available on Node.js; the endpoint falls back to Http1AndHttp2.');
    return endpoint.tls === undefined ? 'Http1' : 'Http1AndHttp2';
  }
  return endpoint.protocols;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Turns a server definition into a running engine: the cache, the session engine, the Hono app, and at start
 * a listener per endpoint address. What Enable-KrConfiguration and Start-KrServer do to a KestrunHost.
 */
export function configureHost(record: HostRecord): ConfiguredHost {
  const definition = record.definition;
  if (definition.session !== undefined && definition.cache === undefined) {
    // ASP.NET Core fails the same way when UseSession finds no IDistributedCache.
    throw new Error(
      `Server '${definition.name}' has sessions but no distributed cache: Add-KrSession was called with noDistributedMemoryCache and no cache was added (Add-KrDistributedRedisCache).`,
    );
  }
  const cache = definition.cache === undefined ? undefined : createCache(definition.cache, definition.logger);
  const sessions = definition.session === undefined || cache === undefined ? undefined : new SessionEngine(definition.session, cache, definition.logger);
  return new HostEngine(definition, cache, buildApp(record, sessions));
}

class HostEngine implements ConfiguredHost {
  readonly listeners: ListenerDescription[] = [];
  readonly stopped: Promise<void>;
  readonly addRoute: ServerApp['addRoute'];
  private readonly servers: GracefulServer[] = [];
  private resolveStopped: () => void = () => {};
  private stopping: Promise<void> | undefined;
  /** One development certificate per start, shared by every self-signed endpoint. */
  private developmentCertificate: Promise<ServerTls> | undefined;

  constructor(
    private readonly definition: ServerDefinition,
    private readonly cache: DistributedCache | undefined,
    private readonly serverApp: ServerApp,
  ) {
    this.addRoute = serverApp.addRoute;
    this.stopped = new Promise<void>((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  async start(): Promise<readonly string[]> {
    const logger = this.definition.logger;
    if (this.cache !== undefined) {
      await this.cache.connect();
      logger.information(`Distributed cache: ${this.cache.description}`);
    }
    const requestListener = getRequestListener(this.serverApp.app.fetch);
    try {
      for (const endpoint of this.definition.endpoints) await this.listenOn(endpoint, requestListener);
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this.listeners.map((listener) => listener.url);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.servers.map((server) => server.stop(SHUTDOWN_GRACE_MS)));
      await this.cache?.close();
      this.resolveStopped();
    })();
    return this.stopping;
  }

  /** A listener on every address of the endpoint, all on the port the first one got. */
  private async listenOn(endpoint: EndpointDefinition, requestListener: RequestListener): Promise<void> {
    const logger = this.definition.logger;
    const tls = await this.tlsFor(endpoint);
    const protocols = effectiveProtocols(endpoint, logger);
    let port = endpoint.binding.port;
    for (const host of await resolveListenAddresses(endpoint.binding)) {
      const server = createListener(protocols, tls, requestListener);
      port = await listen(server, host, port);
      const graceful = new GracefulServer(server);
      // Stopped while it was starting: what starts after the stop closes at once.
      if (this.stopping !== undefined) return graceful.stop(0);
      this.servers.push(graceful);
      const url = `${tls === undefined ? 'http' : 'https'}://${urlHost(host)}:${port}`;
      this.listeners.push({ url, protocols, certificateSubject: tls?.subject });
      logger.information(`Now listening on: ${url}`);
    }
  }

  private async tlsFor(endpoint: EndpointDefinition): Promise<ServerTls | undefined> {
    if (endpoint.tls === undefined) return undefined;
    if (endpoint.tls.kind === 'certificateFile') return loadCertificateFile(endpoint.tls.path, endpoint.tls.password);
    this.developmentCertificate ??= createDevelopmentCertificate().then(({ key, cert, subject }) => ({ key, cert, subject }));
    return this.developmentCertificate;
  }
}
