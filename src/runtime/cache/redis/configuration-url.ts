/** The redis:// and rediss:// URL form of a Redis configuration. */
import { settingsWithDefaults } from './parsed-settings.ts';
import type { ParsedSettings } from './parsed-settings.ts';
import type { RedisConnectionSettings } from './redis-connection-settings.ts';
import { parseEndpoint } from './redis-endpoint-grammar.ts';

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
  return settingsWithDefaults(parsed, 'URL');
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
