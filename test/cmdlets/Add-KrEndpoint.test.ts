import { randomUUID } from 'node:crypto';
import { connect } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { expect } from 'chai';
import {
  addKrEndpoint,
  addKrMapRoute,
  enableKrConfiguration,
  KrParameterBindingError,
  listeningUrls,
  newKrServer,
  startKrServer,
  writeKrTextResponse,
} from '../../src/index.ts';
import type { ServerDefinition } from '../../src/index.ts';
import { CaptureLogger } from '../support/capture-logger.ts';
import { expectCmdletError, removeServer } from '../support/cmdlet-helpers.ts';
import { fetchUrl } from '../support/https-client.ts';

type EndpointInput = NonNullable<Parameters<typeof addKrEndpoint>[0]>;

/** The certificate a TLS listener presents. */
function peerCertificate(url: string): Promise<PeerCertificate> {
  const { hostname, port } = new URL(url);
  return new Promise<PeerCertificate>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false, servername: 'localhost' }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate);
    });
    socket.on('error', reject);
  });
}

describe('Add-KrEndpoint (addKrEndpoint)', () => {
  const logger = new CaptureLogger();
  let name = '';
  let server: ServerDefinition;

  beforeEach(() => {
    // A fresh default server per test: Add-KrEndpoint has no server parameter and always acts on the default.
    name = `add-kr-endpoint-${randomUUID()}`;
    server = newKrServer({ name, logger, default: true });
  });

  afterEach(async () => {
    await removeServer(name);
  });

  describe('the definition', () => {
    it('returns a new frozen definition with the endpoint and leaves the old one as it was', () => {
      const after = addKrEndpoint({ port: 8080 });
      expect(after).not.to.equal(server);
      expect(server.endpoints).to.have.length(0);
      expect(after.endpoints).to.have.length(1);
      expect(Object.isFrozen(after)).to.equal(true);
      expect(Object.isFrozen(after.endpoints[0])).to.equal(true);
      expect(() => (after.endpoints as unknown[]).push({})).to.throw(TypeError);
    });

    it('adds to the newest definition each time', () => {
      addKrEndpoint({ port: 8080 });
      const after = addKrEndpoint({ port: 8081 });
      expect(after.endpoints.map((endpoint) => endpoint.binding.port)).to.deep.equal([8080, 8081]);
    });

    it('port alone means 127.0.0.1:<port>, HTTP/1.1, no TLS', () => {
      const [endpoint] = addKrEndpoint({ port: 8080 }).endpoints;
      expect(endpoint?.binding).to.deep.include({ mode: 'PortIPAddress', hosts: ['127.0.0.1'], port: 8080 });
      expect(endpoint?.tls).to.equal(undefined);
      expect(endpoint?.protocols).to.equal('Http1');
      expect(endpoint?.useConnectionLogging).to.equal(false);
    });

    it('ipAddress alone means port 5000', () => {
      expect(addKrEndpoint({ ipAddress: '0.0.0.0' }).endpoints[0]?.binding).to.deep.include({ hosts: ['0.0.0.0'], port: 5000 });
    });

    it('takes a numeric string or a fraction as the port, as PowerShell casts them', () => {
      expect(addKrEndpoint({ port: '8080' as unknown as number }).endpoints[0]?.binding.port).to.equal(8080);
      expect(addKrEndpoint({ port: 8082.5 }).endpoints[1]?.binding.port).to.equal(8082);
    });

    it('selfSignedCert and its aliases select TLS with HTTP/1.1 and HTTP/2', () => {
      for (const input of [{ selfSignedCert: true }, { selfSigned: true }, { selfSignedCertificate: true }] as EndpointInput[]) {
        const endpoints = addKrEndpoint({ port: 0, ...input }).endpoints;
        const endpoint = endpoints[endpoints.length - 1];
        expect(endpoint?.tls).to.deep.equal({ kind: 'selfSigned' });
        expect(endpoint?.protocols).to.equal('Http1AndHttp2');
      }
    });

    it('certPath selects a certificate file, with its password', () => {
      const [endpoint] = addKrEndpoint({ port: 0, certPath: '/certs/site.pfx', certPassword: 'pw' }).endpoints;
      expect(endpoint?.tls).to.deep.equal({ kind: 'certificateFile', path: '/certs/site.pfx', password: 'pw' });
      expect(endpoint?.protocols).to.equal('Http1AndHttp2');
    });

    it('protocols alone selects the SelfSignedCert set without a certificate: plain HTTP with those protocols', () => {
      const [endpoint] = addKrEndpoint({ port: 0, protocols: 'http2' }).endpoints;
      expect(endpoint?.tls).to.equal(undefined);
      expect(endpoint?.protocols).to.equal('Http2');
    });

    it('records useConnectionLogging', () => {
      expect(addKrEndpoint({ port: 0, useConnectionLogging: true }).endpoints[0]?.useConnectionLogging).to.equal(true);
    });
  });

  describe('passThru', () => {
    it("returns Kestrun's endpoint specs for an IPv4 loopback", () => {
      expect(addKrEndpoint({ port: 5052, passThru: true })).to.deep.equal(['127.0.0.1:5052', 'localhost:5052']);
    });

    it('writes IPv6 addresses in brackets', () => {
      expect(addKrEndpoint({ port: 5053, ipAddress: '::1', passThru: true })).to.include('[::1]:5053');
    });

    it('lists every loopback name for the Any address', () => {
      expect(addKrEndpoint({ port: 5054, ipAddress: '0.0.0.0', passThru: true })).to.deep.equal([
        'localhost:5054',
        '127.0.0.1:5054',
        '[::1]:5054',
      ]);
    });

    it('still adds the endpoint', () => {
      addKrEndpoint({ port: 5055, passThru: true });
      expect(addKrEndpoint({ port: 5056 }).endpoints).to.have.length(2);
    });
  });

  describe('validation', () => {
    it("rejects a port above 65535 with PowerShell's range message", () => {
      const error = expectCmdletError(
        () => addKrEndpoint({ port: 70000 }),
        "Add-KrEndpoint: Cannot validate argument on parameter 'Port'. The 70000 argument is greater than the maximum allowed range of 65535.",
      );
      expect(error).to.be.instanceOf(KrParameterBindingError);
      expect(error.parameter).to.equal('Port');
    });

    it('rejects a negative port', () => {
      expectCmdletError(
        () => addKrEndpoint({ port: -1 }),
        "Add-KrEndpoint: Cannot validate argument on parameter 'Port'. The -1 argument is less than the minimum allowed range of 0.",
      );
    });

    it('rejects a port that is not a number', () => {
      expectCmdletError(
        () => addKrEndpoint({ port: 'http' as unknown as number }),
        'Add-KrEndpoint: Cannot process argument transformation on parameter \'Port\'. Cannot convert value "http" to type "System.Int32". Error: "Input string was not in a correct format."',
      );
    });

    it('rejects an invalid IP address', () => {
      expectCmdletError(
        () => addKrEndpoint({ ipAddress: '300.1.1.1' }),
        'Add-KrEndpoint: Cannot process argument transformation on parameter \'IPAddress\'. Cannot convert value "300.1.1.1" to type "System.Net.IPAddress". Error: "An invalid IP address was specified."',
      );
    });

    it("rejects conflicting address parameters with Kestrun's messages, in Kestrun's order", () => {
      expectCmdletError(
        () => addKrEndpoint({ ipAddress: '127.0.0.1', hostName: 'localhost' }),
        'Add-KrEndpoint: Cannot specify both IPAddress and HostName. Please choose one.',
      );
      expectCmdletError(
        () => addKrEndpoint({ ipAddress: '127.0.0.1', uri: 'http://localhost:5000' }),
        'Add-KrEndpoint: Cannot specify both IPAddress and Uri. Please choose one.',
      );
      expectCmdletError(
        () => addKrEndpoint({ ipAddress: '127.0.0.1', addressFamily: 'InterNetworkV6' }),
        'Add-KrEndpoint: The specified IPAddress does not match the provided AddressFamily filter.',
      );
      expectCmdletError(
        () => addKrEndpoint({ hostName: 'localhost', uri: 'http://localhost:5000' }),
        'Add-KrEndpoint: Cannot specify both HostName and Uri. Please choose one.',
      );
    });

    it('rejects an unknown address family', () => {
      expect(() => addKrEndpoint({ port: 0, addressFamily: 'IPv4' })).to.throw(KrParameterBindingError, /'AddressFamily'/);
    });

    it('rejects an unknown protocol', () => {
      expect(() => addKrEndpoint({ port: 0, selfSignedCert: true, protocols: 'Http4' })).to.throw(
        KrParameterBindingError,
        /^Add-KrEndpoint: Cannot bind parameter 'Protocols'\. Cannot convert value "Http4"/,
      );
    });

    it('rejects a certificate file together with a self-signed certificate', () => {
      expect(() => addKrEndpoint({ certPath: '/c.pfx', selfSignedCert: true })).to.throw(
        KrParameterBindingError,
        /^Add-KrEndpoint: Parameter set cannot be resolved/,
      );
    });

    it('requires certPath when a certificate password is given', () => {
      expect(() => addKrEndpoint({ certPassword: 'pw' })).to.throw(
        KrParameterBindingError,
        'Add-KrEndpoint: Cannot process command because of one or more missing mandatory parameters: CertPath.',
      );
    });

    it('has no server parameter, as in Kestrun', () => {
      expectCmdletError(
        () => addKrEndpoint({ port: 0, server: name } as EndpointInput),
        "Add-KrEndpoint: A parameter cannot be found that matches parameter name 'server'.",
      );
    });

    it('a rejected call adds nothing', () => {
      expect(() => addKrEndpoint({ port: 70000 })).to.throw();
      expect(addKrEndpoint({ port: 1 }).endpoints).to.have.length(1);
    });

    it("throws Kestrun's error once the server is configured", () => {
      addKrEndpoint({ port: 0 });
      enableKrConfiguration({ quiet: true });
      expectCmdletError(
        () => addKrEndpoint({ port: 0 }),
        'Add-KrEndpoint: Cannot add endpoint to a server that is already configured. Please create a new server instance.',
      );
    });
  });

  describe('environment fallbacks (no address parameters)', () => {
    const saved = { urls: process.env.ASPNETCORE_URLS, port: process.env.PORT };

    afterEach(() => {
      for (const [key, value] of [
        ['ASPNETCORE_URLS', saved.urls],
        ['PORT', saved.port],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });

    it('defaults to 127.0.0.1:5000', () => {
      delete process.env.ASPNETCORE_URLS;
      delete process.env.PORT;
      expect(addKrEndpoint().endpoints[0]?.binding).to.deep.include({ mode: 'Default', hosts: ['127.0.0.1'], port: 5000 });
    });

    it('uses PORT on 0.0.0.0', () => {
      delete process.env.ASPNETCORE_URLS;
      process.env.PORT = '8123';
      expect(addKrEndpoint().endpoints[0]?.binding).to.deep.include({ hosts: ['0.0.0.0'], port: 8123 });
    });

    it('rejects a PORT out of range', () => {
      delete process.env.ASPNETCORE_URLS;
      process.env.PORT = '70000';
      expectCmdletError(
        () => addKrEndpoint(),
        "Add-KrEndpoint: Environment variable PORT has invalid value '70000'. Expected an integer between 1 and 65535.",
      );
    });

    it('prefers ASPNETCORE_URLS over PORT and rejects one without a port', () => {
      process.env.PORT = '8123';
      process.env.ASPNETCORE_URLS = 'http://+:8124';
      expect(addKrEndpoint().endpoints[0]?.binding).to.deep.include({ hosts: ['0.0.0.0'], port: 8124 });
      process.env.ASPNETCORE_URLS = 'http://127.0.0.1';
      expectCmdletError(() => addKrEndpoint(), "Add-KrEndpoint: Binding URL 'http://127.0.0.1' does not specify a port.");
    });

    it('explicit parameters win over the environment', () => {
      process.env.ASPNETCORE_URLS = 'http://+:8124';
      expect(addKrEndpoint({ port: 8125 }).endpoints[0]?.binding).to.deep.include({ hosts: ['127.0.0.1'], port: 8125 });
    });
  });

  describe('listening', () => {
    it('serves every endpoint, each on its own port', async () => {
      addKrEndpoint({ port: 0 });
      addKrEndpoint({ port: 0 });
      addKrMapRoute({ path: '/where', scriptBlock: () => writeKrTextResponse({ inputObject: 'here' }) });
      await startKrServer({ server: name, noWait: true, quiet: true });
      const urls = listeningUrls(name);
      expect(urls).to.have.length(2);
      expect(new Set(urls).size).to.equal(2);
      for (const url of urls) {
        expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await fetchUrl(`${url}/where`)).body).to.equal('here');
      }
    });

    it('serves HTTPS with a development certificate for CN=localhost', async () => {
      addKrEndpoint({ port: 0, selfSignedCert: true });
      addKrMapRoute({ path: '/secure', scriptBlock: () => writeKrTextResponse({ inputObject: 'tls' }) });
      await startKrServer({ server: name, noWait: true, quiet: true });
      const [url] = listeningUrls(name);
      expect(url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetchUrl(`${url}/secure`);
      expect(response.status).to.equal(200);
      expect(response.body).to.equal('tls');
      const certificate = await peerCertificate(url as string);
      expect(certificate.subject.CN).to.equal('localhost');
      expect(certificate.subjectaltname).to.contain('DNS:localhost').and.to.contain('IP Address:127.0.0.1');
    });

    it('a certificate file that does not exist fails the start, naming the file', async () => {
      addKrEndpoint({ port: 0, certPath: '/nonexistent/site.pfx' });
      let caught: unknown;
      try {
        await startKrServer({ server: name, noWait: true, quiet: true });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(Error);
      expect((caught as Error).message).to.match(/^Start-KrServer: Failed to start Kestrun server '.*'\. .*\/nonexistent\/site\.pfx/);
    });
  });
});
