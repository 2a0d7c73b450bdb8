import { performance } from 'node:perf_hooks';
import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { HostRecord } from '../host/host-registry.ts';
import type { HttpVerb, RouteDefinition } from '../host/server-definition.ts';
import type { SessionEngine } from '../session/session-engine.ts';
import { logRequest } from './request-log.ts';
import { routePath } from './request-path.ts';
import { routeHandler } from './route-dispatch.ts';

export interface ServerApp {
  readonly app: Hono;
  addRoute(route: RouteDefinition): void;
}

/**
 * The Hono app behind a server. ASP.NET routing answers 405 (with Allow) when the path exists under another
 * verb and an empty 404 otherwise; Hono only knows 404, so a second router remembers every pattern's verbs.
 */
export function buildApp(record: HostRecord, sessions: SessionEngine | undefined): ServerApp {
  // Hono's `strict: false` (a trailing slash does not count), with the path read as routePath explains.
  const app = new Hono({ getPath: routePath });
  const verbsByPattern = new TrieRouter<readonly HttpVerb[]>();

  app.notFound((c) => {
    const started = performance.now();
    const [matches] = verbsByPattern.match('ALL', c.req.path);
    const allowed = [...new Set(matches.flatMap(([verbs]) => verbs.map((verb) => verb.toUpperCase())))];
    const status = allowed.length > 0 ? 405 : 404;
    // Unmatched requests are requests too: they get the same Debug line as routed ones.
    logRequest(record.definition.logger, c.req.method, c.req.path, status, started);
    return status === 405 ? c.body(null, 405, { allow: allowed.join(', ') }) : c.body(null, 404);
  });
  app.onError((error, c) => {
    record.definition.logger.error(`Unhandled error while serving ${c.req.method} ${c.req.path}`, error);
    return c.json({ error: 'An internal server error occurred.', status: 500 }, 500);
  });

  const addRoute = (route: RouteDefinition): void => {
    app.on(
      route.verbs.map((verb) => verb.toUpperCase()),
      route.pattern,
      routeHandler(record, route, sessions),
    );
    verbsByPattern.add('ALL', route.pattern, route.verbs);
  };
  for (const route of record.definition.routes) addRoute(route);
  return { app, addRoute };
}
