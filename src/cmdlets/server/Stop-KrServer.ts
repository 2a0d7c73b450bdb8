import { defineAsyncCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { currentContext } from '../../runtime/context/current-context.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';
import { resolveServer } from '../../runtime/host/resolve-server.ts';
import { writeConsole } from '../../runtime/logging/kr-logger.ts';
import { stopHost } from '../../runtime/server/lifecycle.ts';

export const stopKrServerParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  noWait: switchParameter(),
  quiet: switchParameter(),
};

/**
 * Stop-KrServer. Inside a route it answers 202 `Server is stopping...` and stops once that response is out;
 * outside a route it stops the server gracefully and resolves when it has stopped (at once with `noWait`).
 * @example
 * addKrMapRoute({ verbs: 'Post', path: '/shutdown', scriptBlock: () => stopKrServer() });
 */
export const stopKrServer = defineAsyncCmdlet('Stop-KrServer', stopKrServerParameters, async ({ values }): Promise<void> => {
  const record = resolveServer('Stop-KrServer', values.server);
  const context = currentContext();
  if (context !== undefined) {
    context.response.write('Server is stopping...', 202, 'text/plain');
    // The graceful stop lets this request finish, so the 202 still reaches the client.
    setImmediate(() => void stopHost(record));
    return;
  }
  const stopping = stopHost(record);
  if (!values.quiet) writeConsole('Stopping Kestrun server...\n');
  if (!values.noWait) await stopping;
});
