/**
 * Everything a user can hand Add-KrDistributedRedisCache to say where Redis is: a StackExchange.Redis configuration
 * string (configuration-string.ts), a redis:// or rediss:// URL (configuration-url.ts), or a ConfigurationOptions-shaped
 * object (configuration-options.ts). All three become one RedisConnectionSettings (redis-connection-settings.ts), which
 * maps to ioredis options (ioredis-options.ts). Errors reuse StackExchange.Redis's wording so that users porting from
 * PowerShell recognise them, and never echo a password.
 */
import { parseRedisConfigurationOptions } from './configuration-options.ts';
import type { RedisConfigurationOptions } from './configuration-options.ts';
import { parseRedisConfigurationString } from './configuration-string.ts';
import { parseRedisUrl } from './configuration-url.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';

export type RedisConfiguration = string | RedisConfigurationOptions | Readonly<Record<string, unknown>>;

/** Accepts any of the three forms; a string with a scheme (`x://`) is read as a URL. */
export function parseRedisConfiguration(configuration: RedisConfiguration): RedisConnectionSettings {
  if (typeof configuration !== 'string') return parseRedisConfigurationOptions(configuration);
  const trimmed = configuration.trim();
  return /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? parseRedisUrl(trimmed) : parseRedisConfigurationString(configuration);
}
