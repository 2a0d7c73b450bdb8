import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { isPlainObject, OptionsShape } from '../../runtime/binding/options-shape.ts';
import { inParameterSets, stringParameter, switchParameter, typedParameter } from '../../runtime/binding/parameter.ts';
import { parseRedisConfiguration } from '../../runtime/cache/redis/redis-configuration.ts';
import type { RedisConfigurationOptions } from '../../runtime/cache/redis/redis-configuration.ts';
import { commitDefinition } from '../../runtime/host/host-registry.ts';
import { assertNotConfigured, resolveServer } from '../../runtime/host/resolve-server.ts';
import type { ServerDefinition } from '../../runtime/host/server-definition.ts';
import { isServerReference } from '../../runtime/host/server-reference.ts';

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
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost'),
  options: inParameterSets(
    ['Options'],
    typedParameter(REDIS_CACHE_OPTIONS.matches, 'Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions', { mandatory: true }),
  ),
  configurationOptions: inParameterSets(['Items'], typedParameter(isConfigurationOptions, 'StackExchange.Redis.ConfigurationOptions')),
  configuration: inParameterSets(['Items'], stringParameter()),
  instanceName: inParameterSets(['Items'], stringParameter({ allowEmptyString: true })),
  passThru: switchParameter(),
};

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
    return commitDefinition(record, {
      ...current,
      cache: { kind: 'redis', settings, instanceName: options?.instanceName ?? values.instanceName ?? '' },
    });
  },
  { parameterSets: ['Items', 'Options'], defaultParameterSet: 'Items' },
);
