/**
 * Everything a user can hand Add-KrDistributedRedisCache to say where Redis is: a StackExchange.Redis configuration
 * string, a redis:// or rediss:// URL, or a ConfigurationOptions-shaped object. All three become one
 * RedisConnectionSettings, which maps to ioredis options. Errors reuse StackExchange.Redis's wording so that users
 * porting from PowerShell recognise them, and never echo a password.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';

export interface RedisEndpoint {
  readonly host: string;
  /** Absent when the configuration gave none; 6379, or 6380 with TLS, is chosen at connect time as in SE.Redis. */
  readonly port?: number;
}

export interface RedisConnectionSettings {
  readonly endpoints: readonly RedisEndpoint[];
  readonly password?: string;
  /** ACL user (Redis 6+). */
  readonly user?: string;
  readonly ssl: boolean;
  /** Host name the server certificate must carry, when it is not the endpoint's host. */
  readonly sslHost?: string;
  /** True: connect() fails when Redis cannot be reached. False: connect() returns and retries in the background. */
  readonly abortOnConnectFail: boolean;
  /** Bound on each connection attempt. */
  readonly connectTimeoutMs: number;
  readonly syncTimeoutMs: number;
  /** Bound on every command; Node has only asynchronous I/O, so this is the timeout that applies. */
  readonly asyncTimeoutMs: number;
  /** Connection attempts connect() makes before it gives up when abortOnConnectFail is true. */
  readonly connectRetry: number;
  readonly defaultDatabase?: number;
  readonly clientName?: string;
  /** Redis Sentinel service name: the endpoints are then Sentinels, and the client connects to the primary they name. */
  readonly serviceName?: string;
  readonly keepAliveSeconds: number;
  /**
   * Node TLS client options merged into the connection when ssl is on, for what no configuration string can carry:
   * `ca` to trust a private certificate authority, a client certificate, and so on.
   */
  readonly extraTlsOptions?: ConnectionOptions;
  /** kestrun-ts extension: a commit waits for this many replicas to acknowledge it (WAIT), or fails. */
  readonly replicaAcknowledgements?: ReplicaAcknowledgements;
}

export interface ReplicaAcknowledgements {
  /** Replicas that must have the write before the commit succeeds: WAIT's numreplicas. */
  readonly replicas: number;
  /** How long WAIT may take, shorter than asyncTimeout. */
  readonly timeoutMs: number;
}

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

export type RedisConfiguration = string | RedisConfigurationOptions | Readonly<Record<string, unknown>>;

const DEFAULT_PORT = 6379;
const DEFAULT_TLS_PORT = 6380;
const DEFAULT_SENTINEL_PORT = 26379;
const DEFAULT_SYNC_TIMEOUT_MS = 5000;
const MIN_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_RETRY = 3;
const DEFAULT_KEEP_ALIVE_SECONDS = 60;
/** Well under a second, so that once Redis is back the next request succeeds within one, whatever the outage lasted. */
const MAX_RECONNECT_DELAY_MS = 500;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

// SE.Redis's AzureOptionsProvider: these hosts default to abortConnect=false, and to TLS on their TLS ports.
const AZURE_REDIS_DOMAINS = [
  '.redis.cache.windows.net',
  '.redis.cache.chinacloudapi.cn',
  '.redis.cache.usgovcloudapi.net',
  '.redisenterprise.cache.azure.net',
];
const AZURE_MANAGED_REDIS_DOMAINS = ['.redis.azure.net', '.redis.chinacloudapi.cn', '.redis.usgovcloudapi.net'];
const AZURE_MANAGED_REDIS_TLS_PORT = 10000;

type StringTarget = 'password' | 'user' | 'sslHost' | 'clientName' | 'serviceName';
type BooleanTarget = 'ssl' | 'abortOnConnectFail';
type IntegerTarget =
  | 'connectTimeoutMs'
  | 'syncTimeoutMs'
  | 'asyncTimeoutMs'
  | 'connectRetry'
  | 'defaultDatabase'
  | 'keepAliveSeconds';

type Field =
  | { readonly kind: 'string'; readonly target: StringTarget }
  | { readonly kind: 'boolean'; readonly target: BooleanTarget }
  | { readonly kind: 'integer'; readonly target: IntegerTarget; readonly min?: number }
  | { readonly kind: 'ignored' };

type ParsedSettings = { endpoints: RedisEndpoint[] } & {
  [K in StringTarget]?: string;
} & { [K in BooleanTarget]?: boolean } & { [K in IntegerTarget]?: number };

// Timeouts below 1 ms are rejected as SE.Redis does; a zero connectTimeout would also let a connect hang forever.
const TIMEOUT = { min: 1 } as const;

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

/** Accepts any of the three forms; a string with a scheme (`x://`) is read as a URL. */
export function parseRedisConfiguration(configuration: RedisConfiguration): RedisConnectionSettings {
  if (typeof configuration !== 'string') return parseRedisConfigurationOptions(configuration);
  const trimmed = configuration.trim();
  return /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed) ? parseRedisUrl(trimmed) : parseRedisConfigurationString(configuration);
}

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
  return withDefaults(parsed, 'configuration string');
}

/** `redis://[[user]:password@]host[:port][/database]`; `rediss://` turns on TLS. Upstash URLs work as given. */
export function parseRedisUrl(text: string): RedisConnectionSettings {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new Error(`Unsupported Redis URL scheme '${scheme ?? ''}:'; use redis:// or rediss:// (TLS).`);
  }
  const url = parseUrlOrExplain(text);
  if (url.hostname === '') throw new Error('The Redis URL names no host; expected redis[s]://host[:port].');
  if (url.search !== '' || url.hash !== '') {
    throw new Error('The Redis URL has a query or fragment, which is not supported; use a configuration string for options.');
  }
  const parsed: ParsedSettings = { endpoints: [parseEndpoint(url.host)], ssl: scheme === 'rediss' };
  const user = decodeUserInfo(url.username);
  const password = decodeUserInfo(url.password);
  if (user !== '' && password === '') {
    throw new Error(`The Redis URL names user '${user}' without a password; expected redis[s]://user:password@host.`);
  }
  if (user !== '') parsed.user = user;
  if (password !== '') parsed.password = password;
  const database = /^\/(\d+)$/.exec(url.pathname)?.[1];
  if (database !== undefined) parsed.defaultDatabase = Number(database);
  else if (url.pathname !== '' && url.pathname !== '/') {
    throw new Error(`The Redis URL path '${url.pathname}' is not a database number; expected /0, /1, ….`);
  }
  return withDefaults(parsed, 'URL');
}

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
  return withDefaults(parsed, 'ConfigurationOptions');
}

/**
 * ioredis options for one data node: `endpoint`, by default the first of the settings. Sentinel and Cluster clients
 * build on these (see redis-topology.ts).
 */
export function toIoredisOptions(settings: RedisConnectionSettings, endpoint: RedisEndpoint = firstEndpoint(settings)): RedisOptions {
  const options: RedisOptions = {
    host: endpoint.host,
    port: resolvedPort(endpoint, settings.ssl),
    connectTimeout: settings.connectTimeoutMs,
    // A server that stops answering on an open socket (a dropped network path) would otherwise cost every later
    // command its full timeout; destroying the socket makes ioredis reconnect and lets callers fail fast meanwhile.
    socketTimeout: settings.asyncTimeoutMs,
    // SE.Redis keepAlive is an application-level heartbeat every N seconds; ioredis has none, and TCP keep-alive
    // with the same idle delay is the nearest way to notice a silently dead connection.
    keepAlive: settings.keepAliveSeconds * 1000,
    lazyConnect: true,
    retryStrategy: reconnectDelayMs,
    // Commands are never held across reconnects: a session request must answer 503 now, not after the outage.
    maxRetriesPerRequest: 0,
    // A primary demoted to replica (a failover, or an old primary back on its address) keeps the connection open;
    // reconnecting asks the Sentinels, or the address, again.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
  if (settings.user !== undefined) options.username = settings.user;
  if (settings.password !== undefined) options.password = settings.password;
  if (settings.defaultDatabase !== undefined) options.db = settings.defaultDatabase;
  if (settings.clientName !== undefined) options.connectionName = settings.clientName;
  if (settings.ssl) options.tls = tlsOptions(settings, endpoint.host);
  return options;
}

/** TLS client options for a connection to `host`, or to hosts learnt at run time (Sentinel's primary) when undefined. */
export function tlsOptions(settings: RedisConnectionSettings, host: string | undefined): ConnectionOptions {
  // Node refuses an IP address as SNI server name; without one it checks the certificate against the host itself.
  const servername = settings.sslHost ?? (host !== undefined && isIP(host) === 0 ? host : undefined);
  return { ...(servername !== undefined && { servername }), ...settings.extraTlsOptions };
}

/** Capped exponential back-off with jitter, retrying forever so the cache heals on its own when Redis returns. */
export function reconnectDelayMs(attempt: number): number {
  const jitter = Math.floor(Math.random() * 100);
  return Math.min(50 * 2 ** Math.max(0, attempt - 1) + jitter, MAX_RECONNECT_DELAY_MS);
}

/** `host:port` or `[ipv6]:port`, with the port the connection will use. */
export function endpointAddress(endpoint: RedisEndpoint, settings: RedisConnectionSettings): string {
  const host = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${resolvedPort(endpoint, settings.ssl, settings.serviceName !== undefined)}`;
}

/** What the client connects to, for messages: `host:port`, `a:1,b:2`, or `service mymaster via sentinel(s) a:1,b:2`. */
export function redisTargetLabel(settings: RedisConnectionSettings): string {
  const addresses = settings.endpoints.map((endpoint) => endpointAddress(endpoint, settings)).join(',');
  return settings.serviceName === undefined ? addresses : `service ${settings.serviceName} via sentinel(s) ${addresses}`;
}

/** For logs, e.g. `127.0.0.1:6380 (tls, user default)`. Never contains the password. */
export function describeRedisSettings(settings: RedisConnectionSettings): string {
  const traits: string[] = [];
  if (settings.ssl) traits.push('tls');
  if (settings.user !== undefined) traits.push(`user ${settings.user}`);
  if (settings.defaultDatabase !== undefined) traits.push(`db ${settings.defaultDatabase}`);
  const target = redisTargetLabel(settings);
  return traits.length === 0 ? target : `${target} (${traits.join(', ')})`;
}

function firstEndpoint(settings: RedisConnectionSettings): RedisEndpoint {
  const endpoint = settings.endpoints[0];
  if (endpoint === undefined) throw new Error('The Redis settings name no endpoint.');
  return endpoint;
}

/** SE.Redis's default ports: 26379 for a Sentinel, else 6379, or 6380 with TLS. */
export function resolvedPort(endpoint: RedisEndpoint, ssl: boolean, sentinel = false): number {
  return endpoint.port ?? (sentinel ? DEFAULT_SENTINEL_PORT : ssl ? DEFAULT_TLS_PORT : DEFAULT_PORT);
}

function withDefaults(parsed: ParsedSettings, source: string): RedisConnectionSettings {
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

/** `host`, `host:port`, `[ipv6]`, `[ipv6]:port` or a bare IPv6 address, following SE.Redis's endpoint grammar. */
function parseEndpoint(text: string): RedisEndpoint {
  if (text.startsWith('!')) throw new Error(`Endpoint '${text}' is a Unix domain socket, which is not supported.`);
  const { host, portText } = splitHostAndPort(text);
  if (!/^[a-z\d._-]+$/i.test(host) && isIP(host) === 0) {
    throw new Error(`Endpoint '${text}' does not name a valid host; expected host[:port] or [ipv6]:port.`);
  }
  if (portText === undefined) return { host };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new Error(`Endpoint '${text}' has an invalid port '${portText}'; expected a number from 1 to 65535.`);
  }
  return { host, port };
}

function splitHostAndPort(text: string): { host: string; portText?: string } {
  if (text.startsWith('[')) {
    const closing = text.indexOf(']');
    const host = text.slice(1, closing);
    const rest = text.slice(closing + 1);
    if (closing < 0 || isIP(host) !== 6 || (rest !== '' && !rest.startsWith(':'))) {
      throw new Error(`Endpoint '${text}' is malformed; write an IPv6 endpoint as [address]:port.`);
    }
    return rest === '' ? { host } : { host, portText: rest.slice(1) };
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { host: text };
  if (colon === text.lastIndexOf(':')) return { host: text.slice(0, colon), portText: text.slice(colon + 1) };
  // Several colons without brackets can only be an IPv6 address, which then cannot carry a port.
  if (isIP(text) === 6) return { host: text };
  throw new Error(`Endpoint '${text}' is malformed; expected host[:port] or [ipv6]:port.`);
}

/** SE.Redis ignores a repeated endpoint. */
function addEndpoint(endpoints: RedisEndpoint[], endpoint: RedisEndpoint): void {
  const same = (other: RedisEndpoint): boolean =>
    other.host.toLowerCase() === endpoint.host.toLowerCase() && other.port === endpoint.port;
  if (!endpoints.some(same)) endpoints.push(endpoint);
}

function endpointList(key: string, value: unknown): string[] {
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return value;
  throw new Error(`Property '${key}' requires a list of 'host:port' strings.`);
}

function parseUrlOrExplain(text: string): URL {
  try {
    return new URL(text);
  } catch {
    const port = /^[a-z]+:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#]*)/i.exec(text)?.[1];
    if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) {
      throw new Error(`The Redis URL has an invalid port '${port}'; expected a number from 1 to 65535.`);
    }
    // The text may hold a password, so it is not repeated.
    throw new Error('The Redis URL is malformed; expected redis[s]://[[user]:password@]host[:port][/database].');
  }
}

function decodeUserInfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error("The Redis URL's user or password holds an invalid %-escape; encode '%' as %25.");
  }
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

function checkMinimum(subject: string, value: number, min: number | undefined): number {
  if (min !== undefined && value < min) {
    throw new Error(`${subject} has a minimum value of '${min}'; the value '${value}' is not permitted.`);
  }
  return value;
}
