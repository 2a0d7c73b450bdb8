import { expect } from 'chai';
import { resolveEndpointBinding } from '../../src/runtime/endpoint/endpoint-binding.ts';
import type { EndpointBinding, EndpointBindingEnvironment, EndpointBindingInput } from '../../src/runtime/endpoint/endpoint-binding.ts';
import { endpointSpecs } from '../../src/runtime/endpoint/endpoint-specs.ts';
import { lookupHostAddresses, resolveListenAddresses } from '../../src/runtime/endpoint/listen-addresses.ts';
import type { HostLookup } from '../../src/runtime/endpoint/listen-addresses.ts';

const zones: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'example.test': ['192.0.2.10', '2001:db8::10'],
  'v4only.test': ['192.0.2.20'],
  'dupes.test': ['192.0.2.30', '192.0.2.30', '2001:db8:0:0::30', '2001:db8::30'],
  'empty.test': [],
};

const fakeLookup: HostLookup = async (hostName) => {
  const addresses = zones[hostName];
  if (addresses === undefined) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostName}`), { code: 'ENOTFOUND' });
  }
  return addresses;
};

const noEnv: EndpointBindingEnvironment = {};

/** A binding with its addresses resolved, as the listener sees it; the family filter has done its job. */
type ResolvedBinding = EndpointBinding extends infer B ? (B extends unknown ? Omit<B, 'families'> : never) : never;

interface ResolveCase {
  name: string;
  input?: EndpointBindingInput;
  env?: EndpointBindingEnvironment;
  expected: ResolvedBinding;
  specs?: string[];
}

interface ErrorCase {
  name: string;
  input?: EndpointBindingInput;
  env?: EndpointBindingEnvironment;
  message: string;
}

/** The rules at definition time, then the DNS step the listener takes at start. */
async function resolve(input: EndpointBindingInput = {}, env: EndpointBindingEnvironment = noEnv): Promise<ResolvedBinding> {
  const binding = resolveEndpointBinding(input, env);
  const hosts = await resolveListenAddresses(binding, fakeLookup);
  const { families: _families, ...resolved } = { families: undefined, ...binding };
  return { ...resolved, hosts } as ResolvedBinding;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) {
      return error;
    }
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection');
}

function runResolveCases(cases: ResolveCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const binding = await resolve(c.input, c.env);
      expect(binding).to.deep.equal(c.expected);
      if (c.specs !== undefined) {
        expect(endpointSpecs(binding)).to.deep.equal(c.specs);
      }
    });
  }
}

function runErrorCases(cases: ErrorCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const error = await rejectionOf(resolve(c.input, c.env));
      expect(error.message).to.equal(c.message);
    });
  }
}

describe('resolveEndpointBinding', () => {
  describe('parameter validation, in Kestrun order', () => {
    runErrorCases([
      {
        name: 'IPAddress with HostName',
        input: { ipAddress: '127.0.0.1', hostName: 'localhost' },
        message: 'Cannot specify both IPAddress and HostName. Please choose one.',
      },
      {
        name: 'IPAddress with HostName and Uri reports HostName first',
        input: { ipAddress: '127.0.0.1', hostName: 'localhost', uri: 'http://localhost:1' },
        message: 'Cannot specify both IPAddress and HostName. Please choose one.',
      },
      {
        name: 'IPAddress with Uri',
        input: { ipAddress: '127.0.0.1', uri: 'http://localhost:1' },
        message: 'Cannot specify both IPAddress and Uri. Please choose one.',
      },
      {
        name: 'IPAddress with Uri is reported before an AddressFamily mismatch',
        input: { ipAddress: '127.0.0.1', uri: 'http://localhost:1', addressFamily: ['InterNetworkV6'] },
        message: 'Cannot specify both IPAddress and Uri. Please choose one.',
      },
      {
        name: 'IPv4 address with an IPv6-only filter',
        input: { ipAddress: '127.0.0.1', addressFamily: ['InterNetworkV6'] },
        message: 'The specified IPAddress does not match the provided AddressFamily filter.',
      },
      {
        name: 'IPv6 address with an IPv4-only filter',
        input: { ipAddress: '::1', port: 1, addressFamily: ['InterNetwork'] },
        message: 'The specified IPAddress does not match the provided AddressFamily filter.',
      },
      {
        name: 'HostName with Uri',
        input: { hostName: 'localhost', uri: 'http://localhost:1' },
        message: 'Cannot specify both HostName and Uri. Please choose one.',
      },
      { name: 'an IPAddress that is not an IP', input: { ipAddress: 'localhost' }, message: "Invalid IPAddress 'localhost'." },
      { name: 'an out-of-range IPv4 octet', input: { ipAddress: '256.0.0.1' }, message: "Invalid IPAddress '256.0.0.1'." },
      { name: 'a negative port', input: { port: -1 }, message: "Invalid Port '-1'. Expected an integer between 0 and 65535." },
      { name: 'a port above 65535', input: { port: 65536 }, message: "Invalid Port '65536'. Expected an integer between 0 and 65535." },
      { name: 'a fractional port', input: { port: 80.5 }, message: "Invalid Port '80.5'. Expected an integer between 0 and 65535." },
    ]);
  });

  describe('rule 1: -Uri', () => {
    runResolveCases([
      {
        name: 'resolves the host and binds every address, with the URI port',
        input: { uri: 'http://localhost:5001' },
        expected: { mode: 'Uri', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 5001 },
        specs: ['localhost:5001', '127.0.0.1:5001', '[::1]:5001'],
      },
      {
        name: 'defaults to 443 for https',
        input: { uri: 'https://example.test' },
        expected: { mode: 'Uri', hostName: 'example.test', hosts: ['192.0.2.10', '2001:db8::10'], port: 443 },
        specs: ['example.test:443'],
      },
      {
        name: 'keeps an explicit 443 for https',
        input: { uri: 'https://example.test:443/' },
        expected: { mode: 'Uri', hostName: 'example.test', hosts: ['192.0.2.10', '2001:db8::10'], port: 443 },
      },
      {
        name: 'defaults to 80 for http',
        input: { uri: 'http://v4only.test/' },
        expected: { mode: 'Uri', hostName: 'v4only.test', hosts: ['192.0.2.20'], port: 80 },
      },
      {
        name: 'defaults to 80 for any other scheme',
        input: { uri: 'custom://v4only.test/' },
        expected: { mode: 'Uri', hostName: 'v4only.test', hosts: ['192.0.2.20'], port: 80 },
      },
      {
        name: 'binds a bracketed IPv6 literal once, without DNS',
        input: { uri: 'http://[::1]:5002' },
        expected: { mode: 'Uri', hostName: '::1', hosts: ['::1'], port: 5002 },
        specs: ['[::1]:5002', 'localhost:5002'],
      },
      {
        name: 'filters resolved addresses by AddressFamily',
        input: { uri: 'http://localhost:5003', addressFamily: ['InterNetwork'] },
        expected: { mode: 'Uri', hostName: 'localhost', hosts: ['127.0.0.1'], port: 5003 },
      },
      {
        name: 'removes duplicate addresses, comparing IPv6 in canonical form',
        input: { uri: 'http://dupes.test:1' },
        expected: { mode: 'Uri', hostName: 'dupes.test', hosts: ['192.0.2.30', '2001:db8::30'], port: 1 },
      },
      {
        name: 'wins over -Port and the environment',
        input: { uri: 'http://localhost:5004', port: 9999 },
        env: { ASPNETCORE_URLS: 'http://+:1', PORT: '2' },
        expected: { mode: 'Uri', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 5004 },
      },
    ]);
    runErrorCases([
      { name: 'an unknown host', input: { uri: 'http://nowhere.test:1' }, message: "No IPv4/IPv6 addresses resolved for host 'nowhere.test'." },
      {
        name: 'a host whose addresses the filter removes',
        input: { uri: 'http://v4only.test:1', addressFamily: ['InterNetworkV6'] },
        message: "No IPv4/IPv6 addresses resolved for host 'v4only.test'.",
      },
      { name: 'a text that is not a URI', input: { uri: 'not a uri' }, message: "Invalid Uri 'not a uri'." },
      { name: 'a URI without a host', input: { uri: 'localhost:5000' }, message: "Invalid Uri 'localhost:5000'." },
    ]);
  });

  describe('rule 2: -HostName', () => {
    runResolveCases([
      {
        name: 'defaults the port to 5000',
        input: { hostName: 'localhost' },
        expected: { mode: 'HostName', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 5000 },
        specs: ['localhost:5000', '127.0.0.1:5000', '[::1]:5000'],
      },
      {
        name: 'keeps a bound port, even 0',
        input: { hostName: 'localhost', port: 0 },
        expected: { mode: 'HostName', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 0 },
      },
      {
        name: 'lists only the name for other hosts',
        input: { hostName: 'example.test', port: 8080 },
        expected: { mode: 'HostName', hostName: 'example.test', hosts: ['192.0.2.10', '2001:db8::10'], port: 8080 },
        specs: ['example.test:8080'],
      },
      {
        name: 'binds an IP literal once',
        input: { hostName: '127.0.0.1', port: 8081 },
        expected: { mode: 'HostName', hostName: '127.0.0.1', hosts: ['127.0.0.1'], port: 8081 },
        specs: ['127.0.0.1:8081', 'localhost:8081'],
      },
      {
        name: 'wins over the environment',
        input: { hostName: 'v4only.test' },
        env: { ASPNETCORE_URLS: 'http://+:1', PORT: '2' },
        expected: { mode: 'HostName', hostName: 'v4only.test', hosts: ['192.0.2.20'], port: 5000 },
      },
    ]);
    runErrorCases([
      { name: 'a name resolving to nothing', input: { hostName: 'empty.test' }, message: "No IPv4/IPv6 addresses resolved for host 'empty.test'." },
      { name: 'an unknown name', input: { hostName: 'nowhere.test' }, message: "No IPv4/IPv6 addresses resolved for host 'nowhere.test'." },
    ]);
  });

  describe('rule 3: -Port / -IPAddress', () => {
    runResolveCases([
      {
        name: '-Port alone means 127.0.0.1',
        input: { port: 5052 },
        expected: { mode: 'PortIPAddress', hosts: ['127.0.0.1'], port: 5052 },
        specs: ['127.0.0.1:5052', 'localhost:5052'],
      },
      {
        name: '-Port 0 stays 0 for the listener to choose',
        input: { port: 0 },
        expected: { mode: 'PortIPAddress', hosts: ['127.0.0.1'], port: 0 },
      },
      {
        name: 'the IPv6-only filter moves the default IP to ::1',
        input: { port: 5053, addressFamily: ['InterNetworkV6'] },
        expected: { mode: 'PortIPAddress', hosts: ['::1'], port: 5053 },
        specs: ['[::1]:5053', 'localhost:5053'],
      },
      {
        name: 'a filter with both families keeps 127.0.0.1',
        input: { port: 5054, addressFamily: ['InterNetworkV6', 'InterNetwork'] },
        expected: { mode: 'PortIPAddress', hosts: ['127.0.0.1'], port: 5054 },
      },
      {
        name: '-IPAddress alone defaults the port to 5000',
        input: { ipAddress: '0.0.0.0' },
        expected: { mode: 'PortIPAddress', hosts: ['0.0.0.0'], port: 5000 },
        specs: ['localhost:5000', '127.0.0.1:5000', '[::1]:5000'],
      },
      {
        name: 'IPv6 Any in any spelling',
        input: { ipAddress: '0:0::0', port: 5055 },
        expected: { mode: 'PortIPAddress', hosts: ['::'], port: 5055 },
        specs: ['localhost:5055', '127.0.0.1:5055', '[::1]:5055'],
      },
      {
        name: 'a non-loopback address lists only itself',
        input: { ipAddress: '192.0.2.1', port: 5056 },
        expected: { mode: 'PortIPAddress', hosts: ['192.0.2.1'], port: 5056 },
        specs: ['192.0.2.1:5056'],
      },
      {
        name: 'an IPv6 address is written in brackets',
        input: { ipAddress: '2001:DB8::1', port: 5057, addressFamily: ['InterNetworkV6'] },
        expected: { mode: 'PortIPAddress', hosts: ['2001:db8::1'], port: 5057 },
        specs: ['[2001:db8::1]:5057'],
      },
      {
        name: 'wins over the environment',
        input: { port: 5058 },
        env: { ASPNETCORE_URLS: 'http://+:1', PORT: '2' },
        expected: { mode: 'PortIPAddress', hosts: ['127.0.0.1'], port: 5058 },
      },
    ]);
  });

  describe('rule 4: ASPNETCORE_URLS', () => {
    const urls = (value: string): EndpointBindingEnvironment => ({ ASPNETCORE_URLS: value, PORT: '2' });
    runResolveCases([
      {
        name: '+ means Any',
        env: urls('http://+:8080'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://+:8080', hosts: ['0.0.0.0'], port: 8080 },
        specs: ['localhost:8080', '127.0.0.1:8080', '[::1]:8080'],
      },
      {
        name: '* means Any',
        env: urls('https://*:8443'),
        expected: { mode: 'AspNetCoreUrls', url: 'https://*:8443', hosts: ['0.0.0.0'], port: 8443 },
      },
      {
        name: '0.0.0.0 means Any',
        env: urls('http://0.0.0.0:8081/'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://0.0.0.0:8081/', hosts: ['0.0.0.0'], port: 8081 },
      },
      {
        name: '[::] means IPv6 Any',
        env: urls('http://[::]:8082'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://[::]:8082', hosts: ['::'], port: 8082 },
        specs: ['localhost:8082', '127.0.0.1:8082', '[::1]:8082'],
      },
      {
        name: 'localhost resolves like -HostName',
        env: urls('http://localhost:8083'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://localhost:8083', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 8083 },
        specs: ['localhost:8083', '127.0.0.1:8083', '[::1]:8083'],
      },
      {
        name: 'an IPv4 literal',
        env: urls('http://127.0.0.1:8084'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://127.0.0.1:8084', hosts: ['127.0.0.1'], port: 8084 },
        specs: ['127.0.0.1:8084', 'localhost:8084'],
      },
      {
        name: 'a bracketed IPv6 literal',
        env: urls('http://[::1]:8085'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://[::1]:8085', hosts: ['::1'], port: 8085 },
        specs: ['[::1]:8085', 'localhost:8085'],
      },
      {
        name: 'any other host resolves through DNS',
        env: urls('https://example.test:8443'),
        expected: {
          mode: 'AspNetCoreUrls', url: 'https://example.test:8443', hostName: 'example.test', hosts: ['192.0.2.10', '2001:db8::10'], port: 8443,
        },
        specs: ['example.test:8443'],
      },
      {
        name: 'only the first non-empty entry counts',
        env: urls(' ; http://+:8086 ; http://+:8087'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://+:8086', hosts: ['0.0.0.0'], port: 8086 },
      },
      {
        name: 'a URL with a path is parsed as an absolute URI',
        env: urls('http://localhost:8088/app'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://localhost:8088/app', hostName: 'localhost', hosts: ['127.0.0.1', '::1'], port: 8088 },
      },
      {
        name: 'an http URI with a path and no port takes the scheme default',
        env: urls('http://v4only.test/app'),
        expected: { mode: 'AspNetCoreUrls', url: 'http://v4only.test/app', hostName: 'v4only.test', hosts: ['192.0.2.20'], port: 80 },
      },
      {
        name: 'a whitespace-only value is ignored',
        env: { ASPNETCORE_URLS: '  ;  ', PORT: '8089' },
        expected: { mode: 'Port', hosts: ['0.0.0.0'], port: 8089 },
      },
    ]);
    runErrorCases([
      { name: 'localhost without a port', env: urls('http://localhost'), message: "Binding URL 'http://localhost' does not specify a port." },
      { name: '+ without a port', env: urls('https://+/'), message: "Binding URL 'https://+/' does not specify a port." },
      { name: 'a non-http URI without a port', env: urls('custom://v4only.test/x'), message: "Binding URL 'custom://v4only.test/x' does not specify a port." },
      { name: 'a relative URL', env: urls('/app'), message: "Binding URL '/app' must be an absolute URI." },
      { name: 'a host:port pair without a scheme', env: urls('localhost:5000'), message: "Binding URL 'localhost:5000' must be an absolute URI." },
      {
        name: 'a port above 65535',
        env: urls('http://+:70000'),
        message: "Binding URL 'http://+:70000' has invalid port '70000'. Expected an integer between 0 and 65535.",
      },
      { name: 'an unknown host', env: urls('http://nowhere.test:1'), message: "No IPv4/IPv6 addresses resolved for host 'nowhere.test'." },
    ]);
  });

  describe('rule 5: PORT', () => {
    runResolveCases([
      { name: 'binds 0.0.0.0', env: { PORT: '8080' }, expected: { mode: 'Port', hosts: ['0.0.0.0'], port: 8080 } },
      { name: 'tolerates surrounding whitespace', env: { PORT: ' 8081 ' }, expected: { mode: 'Port', hosts: ['0.0.0.0'], port: 8081 } },
      { name: 'accepts 65535', env: { PORT: '65535' }, expected: { mode: 'Port', hosts: ['0.0.0.0'], port: 65535 } },
      { name: 'an empty value is ignored', env: { PORT: '' }, expected: { mode: 'Default', hosts: ['127.0.0.1'], port: 5000 } },
    ]);
    const invalid = (value: string): ErrorCase => ({
      name: `rejects '${value}'`,
      env: { PORT: value },
      message: `Environment variable PORT has invalid value '${value}'. Expected an integer between 1 and 65535.`,
    });
    runErrorCases(['0', '65536', '-1', 'abc', '80.5', '8080x', '0x50'].map(invalid));
  });

  describe('rule 6: defaults', () => {
    runResolveCases([
      {
        name: '127.0.0.1:5000',
        expected: { mode: 'Default', hosts: ['127.0.0.1'], port: 5000 },
        specs: ['127.0.0.1:5000', 'localhost:5000'],
      },
      {
        name: '[::1]:5000 under an IPv6-only filter',
        input: { addressFamily: ['InterNetworkV6'] },
        expected: { mode: 'Default', hosts: ['::1'], port: 5000 },
        specs: ['[::1]:5000', 'localhost:5000'],
      },
      {
        name: 'an empty filter filters nothing',
        input: { addressFamily: [] },
        expected: { mode: 'Default', hosts: ['127.0.0.1'], port: 5000 },
      },
    ]);
  });

  it('uses the system resolver by default', async () => {
    const binding = resolveEndpointBinding({ hostName: 'localhost', addressFamily: ['InterNetwork'] }, noEnv);
    binding.hosts = await resolveListenAddresses(binding);
    expect(binding.hosts).to.include('127.0.0.1');
  });

  it('wraps a resolver failure with the original error as cause', async () => {
    const error = await rejectionOf(resolve({ hostName: 'nowhere.test' }));
    expect(error.cause).to.be.instanceOf(Error).with.property('message', 'getaddrinfo ENOTFOUND nowhere.test');
  });
});

describe('endpointSpecs', () => {
  it('removes duplicates across several addresses', () => {
    const binding: EndpointBinding = { mode: 'AspNetCoreUrls', url: 'http://x:1', families: [], hosts: ['0.0.0.0', '::', '127.0.0.1'], port: 1 };
    expect(endpointSpecs(binding)).to.deep.equal(['localhost:1', '127.0.0.1:1', '[::1]:1']);
  });

  it('treats the name localhost case-insensitively', () => {
    const binding: EndpointBinding = { mode: 'HostName', hostName: 'LocalHost', families: [], hosts: ['127.0.0.1'], port: 2 };
    expect(endpointSpecs(binding)).to.deep.equal(['localhost:2', '127.0.0.1:2', '[::1]:2']);
  });
});

describe('lookupHostAddresses', () => {
  it('returns the addresses of localhost', async () => {
    expect(await lookupHostAddresses('localhost')).to.include('127.0.0.1');
  });
});
