import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { inParameterSets } from '../../runtime/binding/parameter.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import { createHost, findHost, removeHost } from '../../runtime/host/host-registry.ts';
import type { KrLogger } from '../../runtime/logging/kr-logger.ts';
import { getDefaultLogger, getLogger } from '../../runtime/logging/logger-manager.ts';
import { stopHost } from '../../runtime/server/lifecycle.ts';

function isKrLogger(value: unknown): value is KrLogger {
  return typeof value === 'object' && value !== null && typeof (value as KrLogger).write === 'function';
}

/** Kestrun's Auto: the environment comes from ASPNETCORE_ENVIRONMENT, then DOTNET_ENVIRONMENT, else Production. */
function resolveEnvironment(requested: string | undefined): string {
  if (requested !== undefined && requested !== 'Auto') return requested;
  return process.env.ASPNETCORE_ENVIRONMENT || process.env.DOTNET_ENVIRONMENT || 'Production';
}

export const newKrServerParameters = {
  name: stringParameter({ mandatory: true }),
  logger: inParameterSets(['Logger'], typedParameter(isKrLogger, 'Serilog.ILogger')),
  loggerName: inParameterSets(['LoggerName'], stringParameter({ mandatory: true })),
  default: switchParameter(),
  environment: stringParameter({ validateSet: ['Auto', 'Development', 'Staging', 'Production'], defaultValue: 'Auto: ASPNETCORE_ENVIRONMENT, else Production' }),
  force: switchParameter(),
  passThru: switchParameter(),
};

/**
 * New-KrServer: a named server that writes to the given logger, else the default one. The first server, or
 * the last made with `default: true`, is what later cmdlets act on when they name no server.
 */
export const newKrServer = defineCmdlet(
  'New-KrServer',
  newKrServerParameters,
  ({ values }) => {
    const existing = findHost(values.name);
    if (existing !== undefined && values.force) {
      removeHost(existing);
      void stopHost(existing);
    }
    const logger =
      values.logger ?? (values.loggerName === undefined ? undefined : getLogger(values.loggerName)) ?? getDefaultLogger();
    const record = createHost('New-KrServer', values.name, logger, resolveEnvironment(values.environment), values.default ?? false);
    return record.definition;
  },
  { parameterSets: ['Logger', 'LoggerName'], defaultParameterSet: 'Logger' },
);
