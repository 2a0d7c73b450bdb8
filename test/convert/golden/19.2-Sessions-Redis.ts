/*
    Sample Kestrun Server Configuration – Sessions Demo
    This script shows how to enable Session middleware and use it in routes.
    FileName: 19.2-Sessions-Redis.ps1
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
} from 'kestrun-ts';

const { port, ipAddress, upstashUrl } = scriptParameters({
  port: { type: 'int', default: 5000 },
  ipAddress: { type: 'ipAddress', default: '127.0.0.1' },
  upstashUrl: { type: 'string', env: 'UPSTASH_REDIS_URL' },
});

// Configure default logging
newKrLogger()
  .setKrLoggerLevel({ value: 'Debug' })
  .addKrSinkConsole()
  .registerKrLogger({ name: 'myLogger', setAsDefault: true });

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

if (!upstashUrl?.trim()) {
  console.error('Redis URL not provided. Set the UPSTASH_REDIS_URL environment variable (recommended) or pass -UpstashUrl.');
  process.exit();
}
// Parse the URL to extract host/port/password safely
const uri = new URL(upstashUrl);

// uri.UserInfo is 'default:YOUR_TOKEN_HERE' -> split to get password
const userInfo = `${uri.username}${uri.password ? `:${uri.password}` : ''}`.split(':');
const lpwd = userInfo.length >= 2 ? userInfo[1] : null;

// Build a StackExchange.Redis ConfigurationOptions
const cfg: Record<string, unknown> & { endPoints: string[] } = { endPoints: [] };
cfg.endPoints.push(`${uri.hostname}:${uri.port}`);
cfg.ssl = true; // Upstash uses TLS
cfg.password = lpwd;
cfg.abortOnConnectFail = false; // important for DI/startup resilience
cfg.connectTimeout = 5000; // optional tuning
cfg.syncTimeout = 5000; // optional tuning
// $cfg.DefaultDatabase = 0               # optional if you want a different DB

// (Optional) set a client name for observability
cfg.clientName = `kestrun-${hostname()}`;

// Inspect (for debug only) - don't print secrets in prod logs
// $cfg.ToString()

// Redis configuration (if using Redis)
addKrDistributedRedisCache({ configurationOptions: cfg, instanceName: 'KestrunSession_' });

// Add session services + middleware. By default, Add-KrSession will ensure a distributed memory cache exists.
addKrSession({ cookie, idleTimeout: 20, ioTimeout: 10 });

// Enable configuration
enableKrConfiguration();

// Tip:
// If you're wiring Redis/SQL yourself, use: Add-KrSession -NoDistributedMemoryCache
// and add your cache provider first.

// --- Routes -----------------------------------------------------------------

// 1) Simple counter: increments an integer stored in session.
addKrMapRoute({
  verbs: 'Get',
  path: '/session/counter',
  scriptBlock: async () => {
    // Get current value (or 0 if not set)
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
    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        message: 'Logged in',
        user,
      },
    });
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
      writeKrJsonResponse({
        statusCode: 401,
        inputObject: {
          error: 'No active session or user not set',
        },
      });
      return;
    }
    // respond with user info
    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        user,
      },
    });
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
    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        message: 'Session cleared',
      },
    });
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
    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        message: 'Stored in session',
        key,
        value,
      },
    });
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
    if (val == null) {
      writeKrJsonResponse({
        statusCode: 404,
        inputObject: {
          error: `Key '${key ?? ''}' not found in session`,
        },
      });
      return;
    }
    // respond with value
    writeKrJsonResponse({
      statusCode: 200,
      inputObject: {
        key,
        value: val,
      },
    });
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
