/**
 * Kestrun's `Resolve-KrEndpointBinding`: the rules run when the endpoint is defined, so a bad combination fails on the
 * Add-KrEndpoint line. Host names are resolved later, when the server starts (listen-addresses.ts).
 */
import { isIP } from 'node:net';
import { canonicalIp, IPV4_ANY, IPV4_LOOPBACK, IPV6_LOOPBACK, matchesFamilies, unbracket } from './ip-address.ts';
import type { AddressFamily } from './ip-address.ts';

/** A property that is present (not undefined) counts as "bound by the caller", as in PowerShell's $PSBoundParameters. */
export interface EndpointBindingInput {
  port?: number;
  ipAddress?: string;
  hostName?: string;
  uri?: string;
  /** An empty list filters nothing. */
  addressFamily?: AddressFamily[];
}

export interface EndpointBindingEnvironment {
  ASPNETCORE_URLS?: string;
  PORT?: string;
}

/**
 * What to listen on. `hosts` are IP literals (IPv6 unbracketed, canonical form); `0.0.0.0` and `::` mean Any.
 * A binding that names a host has no hosts yet: resolveListenAddresses finds them, filtered by `families`.
 * `port` may be 0: choosing the concrete port is the listener's job, and endpointSpecs should then be given
 * the port actually bound.
 */
export type EndpointBinding =
  | { mode: 'Uri' | 'HostName'; hostName: string; families: AddressFamily[]; hosts: string[]; port: number }
  /** `hostName` is set when the URL named a host (resolved through DNS) rather than an IP or a wildcard. */
  | { mode: 'AspNetCoreUrls'; url: string; hostName?: string; families: AddressFamily[]; hosts: string[]; port: number }
  | { mode: 'PortIPAddress' | 'Port' | 'Default'; hosts: [string]; port: number };

const DEFAULT_PORT = 5000;
/** Schemes whose default port an ASPNETCORE_URLS entry may leave out, as .NET's Uri fills it in. */
const HTTP_SCHEMES = new Set(['http:', 'https:']);

/** Kestrun's pattern for ASPNETCORE_URLS entries; `[uri]` cannot parse the `+` and `*` wildcards. */
const ASPNETCORE_URL_PATTERN = /^(?<scheme>https?):\/\/(?<host>\+|\*|\[[^\]]+\]|[^:/]+)(?::(?<port>\d+))?\/?$/i;

export function resolveEndpointBinding(input: EndpointBindingInput, env: EndpointBindingEnvironment): EndpointBinding {
  validateInput(input);
  const families = input.addressFamily ?? [];

  if (input.uri !== undefined) {
    const uri = parseUri(input.uri, `Invalid Uri '${input.uri}'.`);
    return { mode: 'Uri', ...nameOrAddress(uriHost(uri), families), port: uriPort(uri) };
  }
  if (input.hostName !== undefined) {
    return { mode: 'HostName', ...nameOrAddress(input.hostName, families), port: input.port ?? DEFAULT_PORT };
  }
  if (input.port !== undefined || input.ipAddress !== undefined) {
    const ip = input.ipAddress === undefined ? defaultIp(families) : canonicalIp(input.ipAddress);
    return { mode: 'PortIPAddress', hosts: [ip], port: input.port ?? DEFAULT_PORT };
  }

  const firstUrl = env.ASPNETCORE_URLS?.split(';').map((entry) => entry.trim()).find((entry) => entry !== '');
  if (firstUrl !== undefined) {
    return resolveAspNetCoreUrl(firstUrl, families);
  }
  if (env.PORT !== undefined && env.PORT.trim() !== '') {
    return { mode: 'Port', hosts: [IPV4_ANY], port: parseEnvironmentPort(env.PORT) };
  }
  return { mode: 'Default', hosts: [defaultIp(families)], port: DEFAULT_PORT };
}

/** The checks Add-KrEndpoint makes before resolving, in Kestrun's order. */
function validateInput(input: EndpointBindingInput): void {
  if (input.port !== undefined && !isPort(input.port, 0)) {
    throw new Error(`Invalid Port '${input.port}'. Expected an integer between 0 and 65535.`);
  }
  if (input.ipAddress !== undefined && isIP(input.ipAddress) === 0) {
    throw new Error(`Invalid IPAddress '${input.ipAddress}'.`);
  }
  if (input.ipAddress !== undefined && input.hostName !== undefined) {
    throw new Error('Cannot specify both IPAddress and HostName. Please choose one.');
  }
  if (input.ipAddress !== undefined && input.uri !== undefined) {
    throw new Error('Cannot specify both IPAddress and Uri. Please choose one.');
  }
  if (input.ipAddress !== undefined && !matchesFamilies(input.ipAddress, input.addressFamily ?? [])) {
    throw new Error('The specified IPAddress does not match the provided AddressFamily filter.');
  }
  if (input.hostName !== undefined && input.uri !== undefined) {
    throw new Error('Cannot specify both HostName and Uri. Please choose one.');
  }
}

function resolveAspNetCoreUrl(url: string, families: AddressFamily[]): EndpointBinding {
  const match = ASPNETCORE_URL_PATTERN.exec(url);
  if (match?.groups === undefined) {
    // Anything the pattern rejects (a path, another scheme) is treated as an ordinary absolute URI.
    const uri = parseUri(url, `Binding URL '${url}' must be an absolute URI.`);
    if (uri.port === '' && !HTTP_SCHEMES.has(uri.protocol)) {
      throw new Error(`Binding URL '${url}' does not specify a port.`);
    }
    return resolveUrlHost(url, uriHost(uri), uriPort(uri), families);
  }
  const { host = '', port: portText } = match.groups;
  if (portText === undefined) {
    throw new Error(`Binding URL '${url}' does not specify a port.`);
  }
  const port = Number(portText);
  if (!isPort(port, 0)) {
    throw new Error(`Binding URL '${url}' has invalid port '${portText}'. Expected an integer between 0 and 65535.`);
  }
  if (host === '+' || host === '*') {
    return { mode: 'AspNetCoreUrls', url, families, hosts: [IPV4_ANY], port };
  }
  return resolveUrlHost(url, unbracket(host), port, families);
}

function resolveUrlHost(url: string, host: string, port: number, families: AddressFamily[]): EndpointBinding {
  if (isIP(host) !== 0) {
    return { mode: 'AspNetCoreUrls', url, families, hosts: [canonicalIp(host)], port };
  }
  return { mode: 'AspNetCoreUrls', url, hostName: host, families, hosts: [], port };
}

/** An IP literal is its own address; a name is kept for resolveListenAddresses. */
function nameOrAddress(host: string, families: AddressFamily[]): { hostName: string; families: AddressFamily[]; hosts: string[] } {
  if (isIP(host) === 0) return { hostName: host, families, hosts: [] };
  if (!matchesFamilies(host, families)) throw new Error(`No IPv4/IPv6 addresses resolved for host '${host}'.`);
  return { hostName: host, families, hosts: [canonicalIp(host)] };
}

function parseEnvironmentPort(value: string): number {
  const trimmed = value.trim();
  const port = Number(trimmed);
  if (!/^[+-]?\d+$/.test(trimmed) || !isPort(port, 1)) {
    throw new Error(`Environment variable PORT has invalid value '${value}'. Expected an integer between 1 and 65535.`);
  }
  return port;
}

/** Requires a host too: `localhost:5000` parses as scheme `localhost:` with no host at all. */
function parseUri(text: string, message: string): URL {
  let uri: URL;
  try {
    uri = new URL(text);
  } catch (error) {
    throw new Error(message, { cause: error });
  }
  if (uri.hostname === '') {
    throw new Error(message);
  }
  return uri;
}

/** ConfigureListener(Uri): the explicit port, else 443 for https and 80 for everything else. */
function uriPort(uri: URL): number {
  if (uri.port !== '') {
    return Number(uri.port);
  }
  return uri.protocol === 'https:' ? 443 : 80;
}

function uriHost(uri: URL): string {
  return unbracket(uri.hostname);
}

function defaultIp(families: AddressFamily[]): string {
  const ipv6Only = families.length > 0 && families.every((family) => family === 'InterNetworkV6');
  return ipv6Only ? IPV6_LOOPBACK : IPV4_LOOPBACK;
}

function isPort(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 65535;
}
