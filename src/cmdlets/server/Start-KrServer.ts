import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import type { ServerDefinition } from '../../runtime/host/server-definition.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';
import { resolveServer } from '../../runtime/host/resolve-server.ts';
import { startHost } from '../../runtime/server/lifecycle.ts';

export const startKrServerParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  noWait: switchParameter(),
  quiet: switchParameter(),
  passThru: switchParameter(),
  closeLogsOnExit: switchParameter(),
};

/**
 * Start-KrServer: configures the server if the script did not, starts every endpoint and, unless `noWait`,
 * resolves only when the server has stopped (SIGINT, SIGTERM or Stop-KrServer). With `noWait` it resolves once
 * the server listens, with the definition when `passThru` is set.
 */
export const startKrServer = defineAsyncCmdlet(
  'Start-KrServer',
  startKrServerParameters,
  async ({ values }): Promise<ServerDefinition | undefined> => {
    const record = resolveServer('Start-KrServer', values.server);
    await startHost('Start-KrServer', record, { quiet: values.quiet ?? false, closeLogsOnExit: values.closeLogsOnExit ?? false });
    if (values.noWait) return values.passThru ? record.definition : undefined;
    await record.engine?.stopped;
    return undefined;
  },
);
