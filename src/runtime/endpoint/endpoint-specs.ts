/** How scripts name an endpoint: `host:port` strings, IPv6 in brackets, a loopback under each name it answers to. */
import { isIP } from 'node:net';
import { IPV4_ANY, IPV4_LOOPBACK, IPV6_ANY, IPV6_LOOPBACK } from './ip-address.ts';

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
