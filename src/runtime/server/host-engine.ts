import { getRequestListener } from '@hono/node-server';
import type { SecureContextOptions } from 'node:tls';
import type { DistributedCache } from '../cache/distributed-cache.ts';
import { MemoryDistributedCache } from '../cache/memory-cache.ts';
import { RedisDistributedCache } from '../cache/redis/redis-cache.ts';
import type { ConfiguredHost, HostRecord, ListenerDescription } from '../host/host-registry.ts';
import type { CacheDefinition, EndpointDefinition, HttpProtocols } from '../host/server-definition.ts';
import type { KrLogger } from '../logging/kr-logger.ts';
import { buildApp } from '../pipeline/build-app.ts';
import { SessionEngine } from '../session/session-engine.ts';
import { loadCertificateFile } from '../tls/certificate-file.ts';
import { createDevelopmentCertificate } from '../tls/development-certificate.ts';
import { resolveListenAddresses } from '../endpoint/endpoint-binding.ts';
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
  const logger = definition.logger;
  if (definition.session !== undefined && definition.cache === undefined) {
    // ASP.NET Core fails the same way when UseSession finds no IDistributedCache.
    throw new Error(
      `Server '${definition.name}' has sessions but no distributed cache: Add-KrSession was called with noDistributedMemoryCache and no cache was added (Add-KrDistributedRedisCache).`,
    );
  }
  const cache = definition.cache === undefined ? undefined : createCache(definition.cache, logger);
  const sessions = definition.session === undefined || cache === undefined ? undefined : new SessionEngine(definition.session, cache, logger);
  const { app, addRoute } = buildApp(record, sessions);
  const servers: GracefulServer[] = [];
  const listeners: ListenerDescription[] = [];
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;

  const tlsFor = async (endpoint: EndpointDefinition, development: () => Promise<ServerTls>): Promise<ServerTls | undefined> => {
    if (endpoint.tls === undefined) return undefined;
    if (endpoint.tls.kind === 'selfSigned') return development();
    return loadCertificateFile(endpoint.tls.path, endpoint.tls.password);
  };

  const start = async (): Promise<readonly string[]> => {
    if (cache !== undefined) {
      await cache.connect();
      logger.information(`Distributed cache: ${cache.description}`);
    }
    let developmentCertificate: Promise<ServerTls> | undefined;
    // One development certificate per start, shared by every self-signed endpoint.
    const development = (): Promise<ServerTls> =>
      (developmentCertificate ??= createDevelopmentCertificate().then(({ key, cert, subject }) => ({ key, cert, subject })));
    const requestListener = getRequestListener(app.fetch);
    try {
      for (const endpoint of definition.endpoints) {
        const tls = await tlsFor(endpoint, development);
        const protocols = effectiveProtocols(endpoint, logger);
        let port = endpoint.binding.port;
        for (const host of await resolveListenAddresses(endpoint.binding)) {
          const server = createListener(protocols, tls, requestListener);
          port = await listen(server, host, port);
          servers.push(new GracefulServer(server));
          const url = `${tls === undefined ? 'http' : 'https'}://${urlHost(host)}:${port}`;
          listeners.push({ url, protocols, certificateSubject: tls?.subject });
          logger.information(`Now listening on: ${url}`);
        }
      }
    } catch (error) {
      await stop();
      throw error;
    }
    return listeners.map((listener) => listener.url);
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(servers.map((server) => server.stop(SHUTDOWN_GRACE_MS)));
      await cache?.close();
      resolveStopped();
    })();
    return stopping;
  };

  return { addRoute, start, stop, stopped, listeners };
}
