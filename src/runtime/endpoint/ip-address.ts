/** IP literals as the endpoint modules compare them: address families, the loopback and Any addresses, one spelling each. */
import { isIP } from 'node:net';

export type AddressFamily = 'InterNetwork' | 'InterNetworkV6';

export const IPV4_LOOPBACK = '127.0.0.1';
export const IPV6_LOOPBACK = '::1';
export const IPV4_ANY = '0.0.0.0';
export const IPV6_ANY = '::';

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function matchesFamilies(ip: string, families: AddressFamily[]): boolean {
  if (families.length === 0) {
    return true;
  }
  return families.includes(isIP(ip) === 6 ? 'InterNetworkV6' : 'InterNetwork');
}

/**
 * One spelling per address, so `0:0::0` is recognised as Any and duplicates collapse.
 * The WHATWG URL parser serialises IPv6 in RFC 5952 form; a zone id is not part of that grammar and is kept aside.
 */
export function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) {
    return ip;
  }
  const [address = ip, zone] = ip.split('%');
  const canonical = unbracket(new URL(`http://[${address}]`).hostname);
  return zone === undefined ? canonical : `${canonical}%${zone}`;
}
