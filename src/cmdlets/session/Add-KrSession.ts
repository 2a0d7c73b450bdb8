import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { ConversionFailure } from '../../runtime/binding/conversion-failure.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import { isPlainObject, OptionsShape } from '../../runtime/binding/options-shape.ts';
import { inParameterSets } from '../../runtime/binding/parameter.ts';
import { switchParameter, typedParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { enumParameter, stringArrayParameter } from '../../runtime/binding/text-parameters.ts';
import { convertToTimeSpanMs } from '../../runtime/binding/timespan.ts';
import { validateMemoryCacheOptions } from '../../runtime/cache/memory-cache.ts';
import type { MemoryDistributedCacheOptions } from '../../runtime/cache/memory-cache.ts';
import { sessionCookieBuilder } from '../../runtime/cookies/cookie-builder.ts';
import type { CookieBuilder } from '../../runtime/cookies/cookie-builder.ts';
import { isCookieBuilder } from '../../runtime/cookies/is-cookie-builder.ts';
import { commitDefinition } from '../../runtime/host/host-registry.ts';
import { assertNotConfigured, resolveServer } from '../../runtime/host/resolve-server.ts';
import type { ServerDefinition } from '../../runtime/host/server-definition.ts';
import { isServerReference, SERVER_DEFAULT } from '../../runtime/host/server-reference.ts';

const CMDLET = 'Add-KrSession';
/** An HMAC key should carry at least 128 bits; 32 characters of a random secret do, with room to spare. */
const MIN_PROTECTION_KEY_LENGTH = 32;
/** ASP.NET Core SessionOptions defaults. */
const DEFAULT_IDLE_TIMEOUT_MS = 20 * 60_000;
const DEFAULT_IO_TIMEOUT_MS = 60_000;

/** The options parameter set: ASP.NET Core SessionOptions, with timeouts in seconds or as TimeSpan strings. */
export interface KrSessionOptions {
  readonly cookie?: CookieBuilder;
  readonly idleTimeout?: number | string;
  readonly ioTimeout?: number | string;
}

const SESSION_OPTIONS = new OptionsShape<KrSessionOptions>(['cookie', 'idleTimeout', 'ioTimeout']);

const MEMORY_OPTION_KEYS = new Set(['sizeLimit', 'compactionPercentage', 'expirationScanFrequencyMs']);

function isMemoryCacheOptions(value: unknown): value is MemoryDistributedCacheOptions {
  return isPlainObject(value) && Object.entries(value).every(([key, item]) => MEMORY_OPTION_KEYS.has(key) && (item === undefined || typeof item === 'number'));
}

export const addKrSessionParameters = {
  server: typedParameter(isServerReference, 'Kestrun.Hosting.KestrunHost', { defaultValue: SERVER_DEFAULT }),
  options: inParameterSets(['Options'], typedParameter(SESSION_OPTIONS.matches, 'Microsoft.AspNetCore.Builder.SessionOptions', { mandatory: true })),
  cookie: inParameterSets(['Items'], typedParameter(isCookieBuilder, 'Microsoft.AspNetCore.Http.CookieBuilder', { defaultValue: '.AspNetCore.Session, path /, HttpOnly, SameSite Lax, SecurePolicy None' })),
  idleTimeout: inParameterSets(['Items'], intParameter({ min: 1, defaultValue: '1200 (seconds)' })),
  ioTimeout: inParameterSets(['Items'], intParameter({ min: 1, psName: 'IOTimeout', defaultValue: '60 (seconds)' })),
  noDistributedMemoryCache: switchParameter(),
  memoryCacheOptions: typedParameter(isMemoryCacheOptions, 'Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions'),
  trustProxy: switchParameter(),
  storeErrorMode: enumParameter(['Fail', 'Degrade'], 'Kestrun.SessionStoreErrorMode', { defaultValue: 'Fail' }),
  protectionKeys: stringArrayParameter(),
  passThru: switchParameter(),
};

function timeoutMs(parameter: string, value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  let ms: number;
  try {
    ms = convertToTimeSpanMs(value);
  } catch (error) {
    throw new KrCmdletError(CMDLET, error instanceof ConversionFailure ? error.message : String(error), { parameter: 'Options' });
  }
  if (!(ms >= 1000)) {
    throw new KrCmdletError(CMDLET, `The session ${parameter} must be at least 1 second.`, { parameter: 'Options' });
  }
  return ms;
}

/**
 * Add-KrSession: ASP.NET Core sessions for every route of the server. Without a cache registered it adds the
 * in-memory one (unless `noDistributedMemoryCache`); a Redis cache registered before or after replaces it.
 * Beyond Kestrun: `storeErrorMode` ('Fail', the default, answers 503 when the store fails; 'Degrade' keeps
 * ASP.NET Core's silent fallback), `trustProxy` (X-Forwarded-Proto counts for SecurePolicy SameAsRequest) and
 * `protectionKeys` (explicit cookie-signing secrets, newest first, instead of the key ring kept in the cache).
 */
export const addKrSession = defineCmdlet(
  CMDLET,
  addKrSessionParameters,
  ({ values }): ServerDefinition => {
    const record = resolveServer(CMDLET, values.server);
    assertNotConfigured(CMDLET, record);
    const current = record.definition;
    if (current.session !== undefined) {
      throw new KrCmdletError(CMDLET, 'Session services are already registered. Only one session configuration can be registered per host.');
    }
    const options = values.options === undefined ? undefined : SESSION_OPTIONS.canonical(CMDLET, 'Options', values.options);
    if (values.memoryCacheOptions !== undefined) {
      try {
        validateMemoryCacheOptions(values.memoryCacheOptions);
      } catch (error) {
        throw cmdletErrorFrom(CMDLET, error, 'MemoryCacheOptions');
      }
    }
    const weakKey = values.protectionKeys?.find((secret) => secret.length < MIN_PROTECTION_KEY_LENGTH);
    if (weakKey !== undefined) {
      throw new KrCmdletError(
        CMDLET,
        `Each protection key must be at least ${MIN_PROTECTION_KEY_LENGTH} characters long (one has ${weakKey.length}); use a random secret.`,
        { parameter: 'ProtectionKeys' },
      );
    }
    const cookie = options?.cookie ?? values.cookie ?? sessionCookieBuilder;
    if (cookie.name === null) {
      // Kestrun accepts it and then fails every request with a 500; refusing it here names the fix.
      throw new KrCmdletError(CMDLET, 'The session cookie has no name: pass name to New-KrCookieBuilder.', { parameter: 'Cookie' });
    }
    if (options?.cookie !== undefined && !isCookieBuilder(options.cookie)) {
      throw new KrCmdletError(CMDLET, 'options.cookie must be a cookie builder made by New-KrCookieBuilder.', { parameter: 'Options' });
    }
    const idleTimeoutMs = options
      ? timeoutMs('IdleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS)
      : values.idleTimeout === undefined
        ? DEFAULT_IDLE_TIMEOUT_MS
        : values.idleTimeout * 1000;
    const ioTimeoutMs = options
      ? timeoutMs('IOTimeout', options.ioTimeout, DEFAULT_IO_TIMEOUT_MS)
      : values.ioTimeout === undefined
        ? DEFAULT_IO_TIMEOUT_MS
        : values.ioTimeout * 1000;
    const cache =
      current.cache ?? (values.noDistributedMemoryCache ? undefined : { kind: 'memory' as const, options: values.memoryCacheOptions ?? {}, implicit: true });
    return commitDefinition(record, {
      ...current,
      cache,
      session: {
        cookie,
        idleTimeoutMs,
        ioTimeoutMs,
        storeErrorMode: values.storeErrorMode ?? 'Fail',
        protectionKeys: values.protectionKeys ?? [],
        trustProxy: values.trustProxy ?? false,
      },
    });
  },
  { parameterSets: ['Items', 'Options'], defaultParameterSet: 'Items' },
);
