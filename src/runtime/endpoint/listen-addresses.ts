/**
 * The host-name resolution `ConfigureListener` performs, done when the server starts: a definition cmdlet cannot wait
 * on DNS, whereas Kestrun resolves at definition time (docs/deviations.md). The lookup is injectable for tests.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { EndpointBinding } from './endpoint-binding.ts';
import { canonicalIp, matchesFamilies } from './ip-address.ts';
import type { AddressFamily } from './ip-address.ts';

/** Returns every address the name resolves to, in resolver order. */
export type HostLookup = (hostName: string) => Promise<string[]>;

export const lookupHostAddresses: HostLookup = async (hostName) =>
  (await dnsLookup(hostName, { all: true, verbatim: true })).map((entry) => entry.address);

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
