import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import { isPlainObject, OptionsShape } from '../../runtime/binding/options-shape.ts';
import { inParameterSets } from '../../runtime/binding/parameter.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { stringParameter } from '../../runtime/binding/text-parameters.ts';
import type { RedisConfigurationOptions } from '../../runtime/cache/redis/configuration-options.ts';
import { parseRedisConfiguration } from '../../runtime/cache/redis/redis-configuration.ts';
import type { RedisConnectionSettings, ReplicaAcknowledgements } from '../../runtime/cache/redis/redis-connection-settings.ts';
import { commitDefinition } from '../../runtime/host/host-registry.ts';
import { assertNotConfigured, resolveServer } from '../../runtime/host/resolve-server.ts';
import type { ServerDefinition } from '../../runtime/host/server-definition.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';

const CMDLET = 'Add-KrDistributedRedisCache';

/** The options parameter set: RedisCacheOptions. */
export interface KrRedisCacheOptions {
  readonly configuration?: string;
  readonly configurationOptions?: RedisConfigurationOptions;
  readonly instanceName?: string;
}

const REDIS_CACHE_OPTIONS = new OptionsShape<KrRedisCacheOptions>(['configuration', 'configurationOptions', 'instanceName']);

function isConfigurationOptions(value: unknown): value is RedisConfigurationOptions {
  return isPlainObject(value);
}

export const addKrDistributedRedisCacheParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  options: inParameterSets(
    ['Options'],
    typedParameter(REDIS_CACHE_OPTIONS.matches, 'Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions', { mandatory: true }),
  ),
  configurationOptions: inParameterSets(['Items'], typedParameter(isConfigurationOptions, 'StackExchange.Redis.ConfigurationOptions')),
  configuration: inParameterSets(['Items'], stringParameter()),
  instanceName: inParameterSets(['Items'], stringParameter({ allowEmptyString: true, defaultValue: "''" })),
  // kestrun-ts extensions (docs/deviations.md): durability across a failover, with Redis WAIT.
  replicaAcknowledgements: intParameter({
    min: 1,
    description:
      'kestrun-ts extension: a session commit succeeds only once this many replicas have acknowledged it (Redis WAIT, sent with the commit in the same round trip); otherwise the request answers 503.',
  }),
  replicaAcknowledgementTimeout: intParameter({
    min: 1,
    defaultValue: 'half the asyncTimeout, at most 1000',
    description: 'kestrun-ts extension: how long, in milliseconds, a commit waits for ReplicaAcknowledgements; shorter than the asyncTimeout.',
  }),
  passThru: switchParameter(),
};

const MAX_DEFAULT_ACKNOWLEDGEMENT_TIMEOUT_MS = 1000;

/** The WAIT the commits send, validated against the connection's asyncTimeout; undefined when not asked for. */
function replicaAcknowledgementsOf(
  replicas: number | undefined,
  timeoutMs: number | undefined,
  settings: RedisConnectionSettings,
): ReplicaAcknowledgements | undefined {
  if (replicas === undefined) {
    if (timeoutMs === undefined) return undefined;
    throw new KrCmdletError(CMDLET, 'ReplicaAcknowledgementTimeout applies only together with ReplicaAcknowledgements.', {
      parameter: 'ReplicaAcknowledgementTimeout',
    });
  }
  const asyncTimeoutMs = settings.asyncTimeoutMs;
  if (timeoutMs !== undefined && timeoutMs >= asyncTimeoutMs) {
    throw new KrCmdletError(
      CMDLET,
      `Cannot validate argument on parameter 'ReplicaAcknowledgementTimeout'. The ${timeoutMs} argument must be less than the ` +
        `configuration's asyncTimeout (${asyncTimeoutMs} ms), which bounds every Redis command.`,
      { parameter: 'ReplicaAcknowledgementTimeout' },
    );
  }
  return { replicas, timeoutMs: timeoutMs ?? Math.max(1, Math.min(MAX_DEFAULT_ACKNOWLEDGEMENT_TIMEOUT_MS, Math.floor(asyncTimeoutMs / 2))) };
}

/**
 * Add-KrDistributedRedisCache: sessions (and the cookie-protection key ring) in Redis, with the data layout of
 * Microsoft.Extensions.Caching.StackExchangeRedis. `configuration` is a StackExchange.Redis configuration
 * string or a redis:// / rediss:// URL; `configurationOptions` an object shaped like ConfigurationOptions,
 * which wins when both are given, as in ASP.NET Core.
 */
export const addKrDistributedRedisCache = defineCmdlet(
  CMDLET,
  addKrDistributedRedisCacheParameters,
  ({ values }): ServerDefinition => {
    const record = resolveServer(CMDLET, values.server);
    assertNotConfigured(CMDLET, record);
    const current = record.definition;
    if (current.cache !== undefined && !(current.cache.kind === 'memory' && current.cache.implicit)) {
      throw new KrCmdletError(
        CMDLET,
        'A distributed cache implementation is already registered. Only one distributed cache can be registered per host.',
      );
    }
    const options = values.options === undefined ? undefined : REDIS_CACHE_OPTIONS.canonical(CMDLET, 'Options', values.options);
    const configurationOptions = options?.configurationOptions ?? values.configurationOptions;
    const configuration = options?.configuration ?? values.configuration;
    const source = configurationOptions ?? configuration;
    if (source === undefined) {
      throw new KrCmdletError(CMDLET, 'Give the Redis connection as configuration (a configuration string or URL) or configurationOptions.', {
        parameter: 'Configuration',
      });
    }
    let settings;
    try {
      settings = parseRedisConfiguration(source);
    } catch (error) {
      throw cmdletErrorFrom(CMDLET, error, configurationOptions === undefined ? 'Configuration' : 'ConfigurationOptions');
    }
    const replicaAcknowledgements = replicaAcknowledgementsOf(values.replicaAcknowledgements, values.replicaAcknowledgementTimeout, settings);
    if (replicaAcknowledgements !== undefined) settings = { ...settings, replicaAcknowledgements };
    return commitDefinition(record, {
      ...current,
      cache: { kind: 'redis', settings, instanceName: options?.instanceName ?? values.instanceName ?? '' },
    });
  },
  { parameterSets: ['Items', 'Options'], defaultParameterSet: 'Items' },
);
