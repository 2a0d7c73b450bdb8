/** The ConfigurationOptions object form: what a Kestrun script builds by hand, read and type-checked property by property. */
import { checkMinimum, INT32_MAX, INT32_MIN, settingsWithDefaults, TIMEOUT } from './parsed-settings.ts';
import type { Field, ParsedSettings } from './parsed-settings.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { addEndpoint, parseEndpoint } from './redis-endpoint-grammar.ts';

/** The shape of StackExchange.Redis ConfigurationOptions that Kestrun scripts build by hand. Keys are case-insensitive. */
export interface RedisConfigurationOptions {
  /** Each 'host:port', 'host' or '[ipv6]:port'. */
  readonly endPoints: readonly string[];
  readonly ssl?: boolean;
  readonly password?: string;
  readonly user?: string;
  readonly abortOnConnectFail?: boolean;
  readonly connectTimeout?: number;
  readonly syncTimeout?: number;
  readonly asyncTimeout?: number;
  readonly defaultDatabase?: number;
  readonly clientName?: string;
  readonly connectRetry?: number;
  readonly sslHost?: string;
  readonly keepAlive?: number;
  readonly serviceName?: string;
}

const OPTION_PROPERTIES: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['password', { kind: 'string', target: 'password' }],
  ['user', { kind: 'string', target: 'user' }],
  ['ssl', { kind: 'boolean', target: 'ssl' }],
  ['sslhost', { kind: 'string', target: 'sslHost' }],
  ['abortonconnectfail', { kind: 'boolean', target: 'abortOnConnectFail' }],
  ['connecttimeout', { kind: 'integer', target: 'connectTimeoutMs', ...TIMEOUT }],
  ['synctimeout', { kind: 'integer', target: 'syncTimeoutMs', ...TIMEOUT }],
  ['asynctimeout', { kind: 'integer', target: 'asyncTimeoutMs', ...TIMEOUT }],
  ['connectretry', { kind: 'integer', target: 'connectRetry', min: 0 }],
  ['defaultdatabase', { kind: 'integer', target: 'defaultDatabase', min: 0 }],
  ['clientname', { kind: 'string', target: 'clientName' }],
  ['servicename', { kind: 'string', target: 'serviceName' }],
  ['keepalive', { kind: 'integer', target: 'keepAliveSeconds' }],
]);

/** A ConfigurationOptions-shaped object. Property names are case-insensitive (`EndPoints`, `Ssl` …); null means unset. */
export function parseRedisConfigurationOptions(
  options: RedisConfigurationOptions | Readonly<Record<string, unknown>>,
): RedisConnectionSettings {
  const parsed: ParsedSettings = { endpoints: [] };
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    const lowered = key.toLowerCase();
    const earlier = seen.get(lowered);
    if (earlier !== undefined) throw new Error(`Properties '${earlier}' and '${key}' set the same option; give it once.`);
    seen.set(lowered, key);
    if (lowered === 'endpoints') {
      for (const endpoint of endpointList(key, value)) addEndpoint(parsed.endpoints, parseEndpoint(endpoint));
      continue;
    }
    const field = OPTION_PROPERTIES.get(lowered);
    if (field === undefined) throw new Error(`Property '${key}' is not supported.`);
    assignValue(parsed, field, `Property '${key}'`, value);
  }
  return settingsWithDefaults(parsed, 'ConfigurationOptions');
}

function endpointList(key: string, value: unknown): string[] {
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  throw new Error(`Property '${key}' requires a list of 'host:port' strings.`);
}

function assignValue(parsed: ParsedSettings, field: Field, subject: string, value: unknown): void {
  switch (field.kind) {
    case 'ignored':
      return;
    case 'string':
      if (typeof value !== 'string') throw new Error(`${subject} requires a string value; the value '${String(value)}' is not recognised.`);
      if (value === '') delete parsed[field.target];
      else parsed[field.target] = value;
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error(`${subject} requires a Boolean value; the value '${String(value)}' is not recognised.`);
      parsed[field.target] = value;
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        throw new Error(`${subject} requires an integer value; the value '${String(value)}' is not recognised.`);
      }
      parsed[field.target] = checkMinimum(subject, value, field.min);
      return;
  }
}
