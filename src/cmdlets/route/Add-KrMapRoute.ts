import { KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { enumArrayParameter, stringParameter } from '../../runtime/binding/text-parameters.ts';
import { commitDefinition } from '../../runtime/host/host-registry.ts';
import { resolveServer } from '../../runtime/host/resolve-server.ts';
import { HTTP_VERBS } from '../../runtime/host/server-definition.ts';
import type { RouteDefinition, RouteHandler, ServerDefinition } from '../../runtime/host/server-definition.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';
import { honoPattern, samePattern } from '../../runtime/pipeline/route-pattern.ts';

const CMDLET = 'Add-KrMapRoute';

function isRouteHandler(value: unknown): value is RouteHandler {
  return typeof value === 'function';
}

export const addKrMapRouteParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  verbs: enumArrayParameter(HTTP_VERBS, 'Kestrun.Utilities.HttpVerb', { aliases: ['method'], defaultValue: 'Get' }),
  path: stringParameter({ aliases: ['pattern'], pattern: /^\//, defaultValue: '/' }),
  scriptBlock: typedParameter(isRouteHandler, 'System.Management.Automation.ScriptBlock', { mandatory: true, position: 0 }),
  allowDuplicate: switchParameter(),
  duplicateAction: stringParameter({ validateSet: ['Throw', 'Skip', 'Allow', 'Warn'], defaultValue: 'Throw' }),
  passThru: switchParameter(),
};

/**
 * Add-KrMapRoute: maps verbs and a path to a script block that receives the request context. Paths take
 * Hono's `:id` parameters and ASP.NET's `{id}` templates. A verb already mapped on the same path is refused,
 * or skipped with a warning under `duplicateAction: 'Skip'|'Warn'|'Allow'` (Kestrun never maps it twice).
 */
export const addKrMapRoute = defineCmdlet(CMDLET, addKrMapRouteParameters, ({ values }): ServerDefinition => {
  const record = resolveServer(CMDLET, values.server);
  const verbs = values.verbs === undefined || values.verbs.length === 0 ? (['Get'] as const) : values.verbs;
  const pattern = honoPattern(values.path ?? '/');
  const clash = record.definition.routes.find(
    (route) => samePattern(route.pattern, pattern) && route.verbs.some((verb) => verbs.includes(verb)),
  );
  if (clash !== undefined) {
    const message = `Route '${values.path ?? '/'}' with method(s) ${verbs.join(',')} already exists.`;
    const action = values.allowDuplicate ? 'Warn' : (values.duplicateAction ?? 'Throw');
    if (action === 'Throw') throw new KrCmdletError(CMDLET, message, { parameter: 'Path' });
    record.definition.logger.warning(`${CMDLET}: ${message} The new route is skipped.`);
    return record.definition;
  }
  const route: RouteDefinition = { verbs: [...new Set(verbs)], pattern, scriptBlock: values.scriptBlock };
  if (record.engine !== undefined) {
    try {
      record.engine.addRoute(route);
    } catch (error) {
      throw new KrCmdletError(
        CMDLET,
        `Cannot add route '${values.path ?? '/'}' to server '${record.definition.name}' while it is serving requests; add routes before Start-KrServer.`,
        { cause: error },
      );
    }
  }
  return commitDefinition(record, { ...record.definition, routes: [...record.definition.routes, route] });
});
