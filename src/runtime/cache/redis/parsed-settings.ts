/**
 * What the three configuration forms share: the settings as a configuration states them (ParsedSettings), the
 * fields a keyword or property sets, and settingsWithDefaults, which fills in what was left unsaid, as
 * StackExchange.Redis does, to give a RedisConnectionSettings.
 */
import { DEFAULT_TLS_PORT } from './redis-connection-settings.ts';
import type { RedisConnectionSettings, RedisEndpoint } from './redis-connection-settings.ts';

type StringTarget = 'password' | 'user' | 'sslHost' | 'clientName' | 'serviceName';
type BooleanTarget = 'ssl' | 'abortOnConnectFail';
type IntegerTarget =
  | 'connectTimeoutMs'
  | 'syncTimeoutMs'
  | 'asyncTimeoutMs'
  | 'connectRetry'
  | 'defaultDatabase'
  | 'keepAliveSeconds';

/** The setting a configuration keyword or property writes, and how its value is read. */
export type Field =
  | { readonly kind: 'string'; readonly target: StringTarget }
  | { readonly kind: 'boolean'; readonly target: BooleanTarget }
  | { readonly kind: 'integer'; readonly target: IntegerTarget; readonly min?: number }
  | { readonly kind: 'ignored' };

export type ParsedSettings = { endpoints: RedisEndpoint[] } & {
  [K in StringTarget]?: string;
} & { [K in BooleanTarget]?: boolean } & { [K in IntegerTarget]?: number };

// Timeouts below 1 ms are rejected as SE.Redis does; a zero connectTimeout would also let a connect hang forever.
export const TIMEOUT = { min: 1 } as const;

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

export function checkMinimum(subject: string, value: number, min: number | undefined): number {
  if (min !== undefined && value < min) {
    throw new Error(`${subject} has a minimum value of '${min}'; the value '${value}' is not permitted.`);
  }
  return value;
}

const DEFAULT_SYNC_TIMEOUT_MS = 5000;
const MIN_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_RETRY = 3;
const DEFAULT_KEEP_ALIVE_SECONDS = 60;

// SE.Redis's AzureOptionsProvider: these hosts default to abortConnect=false, and to TLS on their TLS ports.
const AZURE_REDIS_DOMAINS = [
  '.redis.cache.windows.net',
  '.redis.cache.chinacloudapi.cn',
  '.redis.cache.usgovcloudapi.net',
  '.redisenterprise.cache.azure.net',
];
const AZURE_MANAGED_REDIS_DOMAINS = ['.redis.azure.net', '.redis.chinacloudapi.cn', '.redis.usgovcloudapi.net'];
const AZURE_MANAGED_REDIS_TLS_PORT = 10000;

/** `source` names the configuration form in the error for a configuration without endpoints. */
export function settingsWithDefaults(parsed: ParsedSettings, source: string): RedisConnectionSettings {
  const { endpoints } = parsed;
  if (endpoints.length === 0) throw new Error(`The Redis ${source} names no endpoint; give at least one host[:port].`);
  const azure = endpoints.some((endpoint) => isAzureHost(endpoint.host));
  const syncTimeoutMs = parsed.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
  const keepAlive = parsed.keepAliveSeconds;
  return {
    ...parsed,
    ssl: parsed.ssl ?? (azure && endpoints.some(isAzureTlsEndpoint)),
    abortOnConnectFail: parsed.abortOnConnectFail ?? !azure,
    syncTimeoutMs,
    asyncTimeoutMs: parsed.asyncTimeoutMs ?? syncTimeoutMs,
    connectTimeoutMs: parsed.connectTimeoutMs ?? Math.max(MIN_CONNECT_TIMEOUT_MS, syncTimeoutMs),
    connectRetry: parsed.connectRetry ?? DEFAULT_CONNECT_RETRY,
    // SE.Redis reads zero or less as "choose for me".
    keepAliveSeconds: keepAlive !== undefined && keepAlive > 0 ? keepAlive : DEFAULT_KEEP_ALIVE_SECONDS,
  };
}

function isAzureHost(host: string): boolean {
  const lowered = host.toLowerCase();
  return [...AZURE_REDIS_DOMAINS, ...AZURE_MANAGED_REDIS_DOMAINS].some((domain) => lowered.endsWith(domain));
}

function isAzureTlsEndpoint(endpoint: RedisEndpoint): boolean {
  const lowered = endpoint.host.toLowerCase();
  return (
    endpoint.port === DEFAULT_TLS_PORT ||
    (endpoint.port === AZURE_MANAGED_REDIS_TLS_PORT && AZURE_MANAGED_REDIS_DOMAINS.some((domain) => lowered.endsWith(domain)))
  );
}
