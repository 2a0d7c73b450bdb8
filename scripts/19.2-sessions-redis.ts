/*
    Sample Kestrun Server Configuration – Sessions Demo
    This script shows how to enable Session middleware and use it in routes.
    Mirrors Kestrun's 19.2-Sessions-Redis.ps1: sessions in Redis, as on Upstash.
    FileName: 19.2-sessions-redis.ts
*/
import { hostname } from 'node:os';
import {
  addKrDistributedRedisCache,
  addKrEndpoint,
  addKrMapRoute,
  addKrSession,
  clearKrSession,
  enableKrConfiguration,
  getKrRequestQuery,
  getKrSessionInt32,
  getKrSessionString,
  newKrCookieBuilder,
  newKrLogger,
  newKrServer,
  scriptParameters,
  setKrSessionInt32,
  setKrSessionString,
  startKrServer,
  writeKrJsonResponse,
  writeKrTextResponse,
} from '../src/index.ts';
import type { RedisConfigurationOptions } from '../src/index.ts';

const { port, ipAddress, upstashUrl, configuration } = scriptParameters({
  port: { type: 'int', default: 5000 },
  ipAddress: { type: 'ipAddress', default: '127.0.0.1' },
  upstashUrl: { type: 'string', env: 'UPSTASH_REDIS_URL' },
  // kestrun-ts: a StackExchange.Redis configuration string (Sentinel, Cluster, ...), used instead of the URL.
  configuration: { type: 'string', env: 'REDIS_CONFIGURATION' },
});

// Configure default logging
const logger = newKrLogger()
  .setKrLoggerLevel({ value: 'Debug' })
  .addKrSinkConsole()
  .registerKrLogger({ name: 'myLogger', setAsDefault: true, passThru: true });

// Create a new Kestrun server
newKrServer({ name: 'Sessions Demo Server' });

// Listener
addKrEndpoint({ port, ipAddress, selfSignedCert: true });

// --- Session setup -----------------------------------------------------------
// Cookie is optional, but nice to be explicit.
const cookie = newKrCookieBuilder({
  name: 'Kr.Session',
  httpOnly: true,
  sameSite: 'Lax',
  securePolicy: 'Always', // set to None if you want to test over plain http
});

if (configuration?.trim()) {
  // A configuration string as StackExchange.Redis takes it, e.g. 'sentinel1:26379,sentinel2:26379,serviceName=mymaster'
  // for a Sentinel-guarded primary, or any node of a Redis Cluster.
  logger?.information('Using the Redis configuration string given (REDIS_CONFIGURATION or --configuration).');
  addKrDistributedRedisCache({ configuration, instanceName: 'KestrunSession_' });
} else if (!upstashUrl?.trim()) {
  // Without a URL, use the local Redis of the tutorial's step-by-step.
  logger?.information('No Redis URL given (UPSTASH_REDIS_URL or --upstash-url); using Redis at localhost:6379.');
  addKrDistributedRedisCache({ configuration: 'localhost:6379', instanceName: 'KestrunSession_' });
} else {
  // Parse the URL to extract host/port/password safely
  let uri: URL;
  try {
    uri = new URL(upstashUrl);
    if (!['redis:', 'rediss:'].includes(uri.protocol) || uri.hostname === '') throw new Error('not a redis:// or rediss:// URL');
  } catch (error) {
    process.stderr.write(
      `The Redis URL is malformed (${error instanceof Error ? error.message : String(error)}); expected rediss://default:<token>@<host>:<port>.\n`,
    );
    process.exit(1);
  }

  // uri.username:uri.password is 'default:YOUR_TOKEN_HERE' -> the token is the password
  const password = uri.password === '' ? undefined : decodeURIComponent(uri.password);

  // Build a StackExchange.Redis ConfigurationOptions
  const cfg: RedisConfigurationOptions = {
    endPoints: [`${uri.hostname}:${uri.port || '6379'}`],
    ssl: uri.protocol === 'rediss:', // Upstash uses TLS (rediss://)
    ...(password === undefined ? {} : { password }),
    abortOnConnectFail: false, // important for DI/startup resilience
    connectTimeout: 5000, // optional tuning
    syncTimeout: 5000, // optional tuning
    // defaultDatabase: 0, // optional if you want a different DB
    // (Optional) set a client name for observability
    clientName: `kestrun-${hostname()}`,
  };
  logger?.information(`Using Redis at ${cfg.endPoints[0]}${cfg.ssl ? ' over TLS' : ''}.`);

  // Redis configuration (if using Redis)
  addKrDistributedRedisCache({ configurationOptions: cfg, instanceName: 'KestrunSession_' });
}

// Add session services + middleware. By default, addKrSession ensures a distributed memory cache exists.
addKrSession({ cookie, idleTimeout: 20, ioTimeout: 10 });

// Enable configuration
enableKrConfiguration();

// Tip:
// If you're wiring Redis/SQL yourself, use: addKrSession({ noDistributedMemoryCache: true })
// and add your cache provider first.

// --- Routes -----------------------------------------------------------------

// 1) Simple counter: increments an integer stored in session.
addKrMapRoute({
  verbs: 'Get',
  path: '/session/counter',
  scriptBlock: async () => {
    // Get current value (null if not set, which counts as 0)
    const current = await getKrSessionInt32({ key: 'counter' });
    // Increment and store back
    await setKrSessionInt32({ key: 'counter', value: (current ?? 0) + 1 });

    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        message: 'Counter incremented',
        counter: (current ?? 0) + 1,
      },
    });
  },
});

// 2) Login: set a 'user' value in session (?user=max)
addKrMapRoute({
  verbs: 'Get',
  path: '/session/login',
  scriptBlock: async () => {
    // Get user from query
    const user = getKrRequestQuery({ name: 'user' });
    // Validate
    if (!user?.trim()) {
      writeKrJsonResponse({
        statusCode: 400,
        inputObject: {
          error: "Missing 'user' query parameter",
          example: '/session/login?user=max',
        },
      });
      return;
    }
    // Store in session
    await setKrSessionString({ key: 'user', value: user });
    // respond to login event
    writeKrJsonResponse({ statusCode: 200, inputObject: { message: 'Logged in', user } });
  },
});

// 3) WhoAmI: read 'user' from session
addKrMapRoute({
  verbs: 'Get',
  path: '/session/whoami',
  scriptBlock: async () => {
    // Get user from session
    const user = await getKrSessionString({ key: 'user' });
    // If not set, return 401
    if (!user) {
      writeKrJsonResponse({ statusCode: 401, inputObject: { error: 'No active session or user not set' } });
      return;
    }
    // respond with user info
    writeKrJsonResponse({ statusCode: 200, inputObject: { user } });
  },
});

// 4) Logout: clear the session
addKrMapRoute({
  verbs: 'Get',
  path: '/session/logout',
  scriptBlock: async () => {
    // Clear the session
    await clearKrSession();
    // respond to logout event
    writeKrJsonResponse({ statusCode: 200, inputObject: { message: 'Session cleared' } });
  },
});

// 5) Generic set: /session/set?key=foo&value=bar
addKrMapRoute({
  verbs: 'Get',
  path: '/session/set',
  scriptBlock: async () => {
    // Get key and value from query
    const key = getKrRequestQuery({ name: 'key' });
    const value = getKrRequestQuery({ name: 'value' });

    // Validate
    if (!key?.trim() || !value?.trim()) {
      writeKrJsonResponse({
        statusCode: 400,
        inputObject: {
          error: "Missing 'key' and/or 'value' query parameter(s)",
          example: '/session/set?key=color&value=purple',
        },
      });
      return;
    }
    // Store in session
    await setKrSessionString({ key, value });
    // respond to set event
    writeKrJsonResponse({ statusCode: 200, inputObject: { message: 'Stored in session', key, value } });
  },
});

// 6) Generic get: /session/get?key=foo
addKrMapRoute({
  verbs: 'Get',
  path: '/session/get',
  scriptBlock: async () => {
    // Get key from query
    const key = getKrRequestQuery({ name: 'key' });
    // Validate
    if (!key?.trim()) {
      writeKrJsonResponse({
        statusCode: 400,
        inputObject: {
          error: "Missing 'key' query parameter",
          example: '/session/get?key=color',
        },
      });
      return;
    }
    // Get from session
    const val = await getKrSessionString({ key });
    // If not found, return 404
    if (val === null || val === undefined) {
      writeKrJsonResponse({ statusCode: 404, inputObject: { error: `Key '${key}' not found in session` } });
      return;
    }
    // respond with value
    writeKrJsonResponse({ statusCode: 200, inputObject: { key, value: val } });
  },
});

// Convenience: hello (non-session)
addKrMapRoute({
  verbs: 'Get',
  path: '/hello',
  scriptBlock: () => {
    writeKrTextResponse({ statusCode: 200, inputObject: 'Hello, Session World!' });
  },
});

// Start the server asynchronously
await startKrServer({ closeLogsOnExit: true });
