/**
 * The StackExchange.Redis configuration string, such as `cache.example.com:6380,password=…,ssl=true`: its keywords,
 * and its values read as .NET reads them.
 */
import { checkMinimum, INT32_MAX, INT32_MIN, settingsWithDefaults, TIMEOUT } from './parsed-settings.ts';
import type { Field, ParsedSettings } from './parsed-settings.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { addEndpoint, parseEndpoint } from './redis-endpoint-grammar.ts';

const STRING_KEYWORDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ['password', { kind: 'string', target: 'password' }],
  ['user', { kind: 'string', target: 'user' }],
  ['ssl', { kind: 'boolean', target: 'ssl' }],
  ['sslhost', { kind: 'string', target: 'sslHost' }],
  ['abortconnect', { kind: 'boolean', target: 'abortOnConnectFail' }],
  ['connecttimeout', { kind: 'integer', target: 'connectTimeoutMs', ...TIMEOUT }],
  ['synctimeout', { kind: 'integer', target: 'syncTimeoutMs', ...TIMEOUT }],
  ['asynctimeout', { kind: 'integer', target: 'asyncTimeoutMs', ...TIMEOUT }],
  ['connectretry', { kind: 'integer', target: 'connectRetry', min: 0 }],
  ['defaultdatabase', { kind: 'integer', target: 'defaultDatabase', min: 0 }],
  ['name', { kind: 'string', target: 'clientName' }],
  ['servicename', { kind: 'string', target: 'serviceName' }],
  ['keepalive', { kind: 'integer', target: 'keepAliveSeconds' }],
  ['highprioritythreads', { kind: 'ignored' }],
  ['preserveasyncorder', { kind: 'ignored' }],
  ['responsetimeout', { kind: 'ignored' }],
  ['writebuffer', { kind: 'ignored' }],
]);

/** A StackExchange.Redis configuration string, such as `cache.example.com:6380,password=…,ssl=true,abortConnect=false`. */
export function parseRedisConfigurationString(configuration: string): RedisConnectionSettings {
  if (configuration.trim() === '') throw new Error('The Redis configuration string is empty.');
  const parsed: ParsedSettings = { endpoints: [] };
  for (const token of configuration.split(',')) {
    const option = token.trim();
    if (option === '') continue;
    const equals = option.indexOf('=');
    if (equals > 0) {
      const key = option.slice(0, equals).trim();
      const field = STRING_KEYWORDS.get(key.toLowerCase());
      if (field === undefined) throw new Error(`Keyword '${key}' is not supported.`);
      assignText(parsed, field, `Keyword '${key}'`, option.slice(equals + 1).trim());
    } else {
      addEndpoint(parsed.endpoints, parseEndpoint(option));
    }
  }
  return settingsWithDefaults(parsed, 'configuration string');
}

function assignText(parsed: ParsedSettings, field: Field, subject: string, text: string): void {
  switch (field.kind) {
    case 'ignored':
      return;
    case 'string':
      if (text === '') delete parsed[field.target];
      else parsed[field.target] = text;
      return;
    case 'boolean':
      parsed[field.target] = parseBoolean(subject, text);
      return;
    case 'integer':
      parsed[field.target] = checkMinimum(subject, parseInteger(subject, text), field.min);
      return;
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** .NET bool.TryParse plus the 1/0, yes/no and on/off that SE.Redis also accepts. */
function parseBoolean(subject: string, text: string): boolean {
  const lowered = text.toLowerCase();
  if (TRUE_WORDS.has(lowered)) return true;
  if (FALSE_WORDS.has(lowered)) return false;
  throw new Error(`${subject} requires a Boolean value; the value '${text}' is not recognised.`);
}

/** A 32-bit integer as .NET int.TryParse reads it: optional sign, decimal digits. */
function parseInteger(subject: string, text: string): number {
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= INT32_MIN && value <= INT32_MAX)) {
    throw new Error(`${subject} requires an integer value; the value '${text}' is not recognised.`);
  }
  return value;
}
