import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringArrayParameter } from '../../runtime/binding/text-parameters.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';
import { resolveServer } from '../../runtime/host/resolve-server.ts';
import { writeConsole } from '../../runtime/logging/kr-logger.ts';
import { ensureConfigured } from '../../runtime/server/lifecycle.ts';

export const enableKrConfigurationParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  excludeVariables: stringArrayParameter(),
  excludeFunctions: stringArrayParameter(),
  quiet: switchParameter(),
  passThru: switchParameter(),
};

/**
 * Enable-KrConfiguration: builds the server's Hono app, cache and session engine from its definition.
 * Calling it again does nothing. TypeScript closures already share the script's variables and functions with
 * the routes, so `excludeVariables` and `excludeFunctions` are accepted for parity and have nothing to exclude.
 */
export const enableKrConfiguration = defineCmdlet('Enable-KrConfiguration', enableKrConfigurationParameters, ({ values }) => {
  const record = resolveServer('Enable-KrConfiguration', values.server);
  const wasConfigured = record.engine !== undefined;
  ensureConfigured('Enable-KrConfiguration', record);
  if (!wasConfigured && !values.quiet) {
    writeConsole(`Kestrun server configuration enabled successfully.\nServer Name: ${record.definition.name}\n`);
  }
  return record.definition;
});
