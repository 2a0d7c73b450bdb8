/**
 * Kestrun's `Resolve-KrEndpointBinding` plus the host-name resolution `ConfigureListener` performs.
 *
 * The rules run when the endpoint is defined, so a bad combination fails on the Add-KrEndpoint line. Host names
 * are resolved when the server starts (resolveListenAddresses), because a definition cmdlet cannot wait on DNS;
 * Kestrun resolves them at definition time (docs/deviations.md). The lookup is injectable for tests.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type AddressFamily = 'InterNetwork' | 'InterNetworkV6';

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

/** Returns every address the name resolves to, in resolver order. */
export type HostLookup = (hostName: string) => Promise<string[]>;

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
const IPV4_LOOPBACK = '127.0.0.1';
const IPV6_LOOPBACK = '::1';
const IPV4_ANY = '0.0.0.0';
const IPV6_ANY = '::';
/** Schemes whose default port an ASPNETCORE_URLS entry may leave out, as .NET's Uri fills it in. */
const HTTP_SCHEMES = new Set(['http:', 'https:']);

/** Kestrun's pattern for ASPNETCORE_URLS entries; `[uri]` cannot parse the `+` and `*` wildcards. */
const ASPNETCORE_URL_PATTERN = /^(?<scheme>https?):\/\/(?<host>\+|\*|\[[^\]]+\]|[^:/]+)(?::(?<port>\d+))?\/?$/i;

export const lookupHostAddresses: HostLookup = async (hostName) =>
  (await dnsLookup(hostName, { all: true, verbatim: true })).map((entry) => entry.address);

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

/**
 * The -PassThru strings that Add-KrMapRoute -Endpoints matches on, without duplicates.
 * A name binding lists the name (plus both loopbacks for localhost), never the addresses it resolved to.
 */
export function endpointSpecs(binding: { readonly port: number; readonly hosts: readonly string[]; readonly hostName?: string | undefined }): string[] {
  const { port, hostName } = binding;
  const specs = hostName !== undefined && isIP(hostName) === 0
    ? hostNameSpecs(hostName, port)
    : binding.hosts.flatMap((ip) => ipSpecs(ip, port));
  return [...new Set(specs)];
}

function hostNameSpecs(hostName: string, port: number): string[] {
  return hostName.toLowerCase() === 'localhost'
    ? allLoopbackSpecs(port)
    : [formatSpec(hostName, port)];
}

function ipSpecs(ip: string, port: number): string[] {
  if (ip === IPV4_ANY || ip === IPV6_ANY) {
    return allLoopbackSpecs(port);
  }
  if (ip === IPV4_LOOPBACK || ip === IPV6_LOOPBACK) {
    return [formatSpec(ip, port), formatSpec('localhost', port)];
  }
  return [formatSpec(ip, port)];
}

function allLoopbackSpecs(port: number): string[] {
  return [formatSpec('localhost', port), formatSpec(IPV4_LOOPBACK, port), formatSpec(IPV6_LOOPBACK, port)];
}

function formatSpec(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
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

/** The addresses to listen on: the binding's own, or those its host name resolves to now. */
export async function resolveListenAddresses(binding: EndpointBinding, lookup: HostLookup = lookupHostAddresses): Promise<string[]> {
  if (binding.hosts.length > 0 || !('hostName' in binding) || binding.hostName === undefined) return binding.hosts;
  return resolveHost(binding.hostName, binding.families, lookup);
}

/** Every address of the host that passes the family filter; an IP literal resolves to itself. */
async function resolveHost(hostName: string, families: AddressFamily[], lookup: HostLookup): Promise<string[]> {
  const noAddresses = `No IPv4/IPv6 addresses resolved for host '${hostName}'.`;
  let addresses: string[];
  try {
    addresses = isIP(hostName) === 0 ? await lookup(hostName) : [hostName];
  } catch (error) {
    throw new Error(noAddresses, { cause: error });
  }
  const usable = addresses.filter((address) => isIP(address) !== 0 && matchesFamilies(address, families));
  if (usable.length === 0) {
    throw new Error(noAddresses);
  }
  return [...new Set(usable.map(canonicalIp))];
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

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function defaultIp(families: AddressFamily[]): string {
  const ipv6Only = families.length > 0 && families.every((family) => family === 'InterNetworkV6');
  return ipv6Only ? IPV6_LOOPBACK : IPV4_LOOPBACK;
}

function matchesFamilies(ip: string, families: AddressFamily[]): boolean {
  if (families.length === 0) {
    return true;
  }
  return families.includes(isIP(ip) === 6 ? 'InterNetworkV6' : 'InterNetwork');
}

function isPort(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 65535;
}

/**
 * One spelling per address, so `0:0::0` is recognised as Any and duplicates collapse.
 * The WHATWG URL parser serialises IPv6 in RFC 5952 form; a zone id is not part of that grammar and is kept aside.
 */
function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) {
    return ip;
  }
  const [address = ip, zone] = ip.split('%');
  const canonical = unbracket(new URL(`http://[${address}]`).hostname);
  return zone === undefined ? canonical : `${canonical}%${zone}`;
}
