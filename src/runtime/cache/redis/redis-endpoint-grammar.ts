/** StackExchange.Redis's endpoint grammar, which the configuration string, the URL and ConfigurationOptions share. */
import { isIP } from 'node:net';
import type { RedisEndpoint } from './redis-connection-settings.ts';

/** `host`, `host:port`, `[ipv6]`, `[ipv6]:port` or a bare IPv6 address, following SE.Redis's endpoint grammar. */
export function parseEndpoint(text: string): RedisEndpoint {
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
export function addEndpoint(endpoints: RedisEndpoint[], endpoint: RedisEndpoint): void {
  const same = (other: RedisEndpoint): boolean =>
    other.host.toLowerCase() === endpoint.host.toLowerCase() && other.port === endpoint.port;
  if (!endpoints.some(same)) endpoints.push(endpoint);
}
