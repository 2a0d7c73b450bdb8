import { expect } from 'chai';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate as PeculiarCertificate,
} from '@peculiar/x509';
import type { Extension } from '@peculiar/x509';
import { createDevelopmentCertificate } from '../../src/runtime/tls/development-certificate.ts';
import type { DevelopmentCertificate } from '../../src/runtime/tls/development-certificate.ts';

const ECDSA_WITH_SHA256_OID = '2a8648ce3d040302';
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Reads one DER TLV (definite lengths only, which is all DER allows). */
function readTlv(der: Buffer, offset: number): { tag: number; contentStart: number; end: number } {
  const tag = der[offset] ?? -1;
  const first = der[offset + 1] ?? 0;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    length = der.readUIntBE(offset + 2, lengthBytes);
    contentStart += lengthBytes;
  }
  return { tag, contentStart, end: contentStart + length };
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue } */
function signatureAlgorithmOid(certificate: X509Certificate): string {
  const der = certificate.raw;
  const outer = readTlv(der, 0);
  const tbs = readTlv(der, outer.contentStart);
  const algorithm = readTlv(der, tbs.end);
  const oid = readTlv(der, algorithm.contentStart);
  expect(oid.tag).to.equal(0x06);
  return der.subarray(oid.contentStart, oid.end).toString('hex');
}

function extensionOf<T extends Extension>(pem: string, type: new (raw: ArrayBuffer) => T): T {
  const extension = new PeculiarCertificate(pem).getExtension(type);
  if (extension === null) {
    throw new Error(`missing ${type.name}`);
  }
  return extension;
}

function listen(certificate: DevelopmentCertificate): Promise<Server> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (_request, response) => {
    response.end('hello over tls');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function get(options: { host: string; port: number; ca?: string; servername?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ ...options, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function failureCodeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  throw new Error('expected the request to fail');
}

describe('createDevelopmentCertificate', () => {
  const now = new Date('2026-03-01T12:00:00.750Z');
  let certificate: DevelopmentCertificate;
  let leaf: X509Certificate;
  let root: X509Certificate;

  before(async () => {
    certificate = await createDevelopmentCertificate(now);
    leaf = new X509Certificate(certificate.cert);
    root = new X509Certificate(certificate.caCert);
  });

  it('issues CN=localhost from CN=Kestrun Development Root CA', () => {
    expect(certificate.subject).to.equal('CN=localhost');
    expect(certificate.issuer).to.equal('CN=Kestrun Development Root CA');
    expect(leaf.subject).to.equal(certificate.subject);
    expect(leaf.issuer).to.equal(certificate.issuer);
    expect(root.subject).to.equal('CN=Kestrun Development Root CA');
    expect(root.issuer).to.equal(root.subject);
  });

  it('names localhost, 127.0.0.1 and ::1', () => {
    expect(leaf.subjectAltName).to.equal('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leaf.checkHost('localhost')).to.equal('localhost');
    expect(leaf.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(leaf.checkIP('::1')).to.equal('::1');
    expect(root.subjectAltName).to.equal(undefined);
  });

  it('starts five minutes back and lasts 30 days (leaf) and 3650 days (root)', () => {
    const notBefore = Math.floor((now.getTime() - 5 * MINUTE_MS) / 1000) * 1000;
    expect(Date.parse(leaf.validFrom)).to.equal(notBefore);
    expect(Date.parse(leaf.validTo)).to.equal(notBefore + 30 * DAY_MS);
    expect(Date.parse(root.validFrom)).to.equal(notBefore);
    expect(Date.parse(root.validTo)).to.equal(notBefore + 3650 * DAY_MS);
  });

  it('chains the leaf to the root, which signs itself', () => {
    expect(leaf.verify(root.publicKey)).to.equal(true);
    expect(leaf.checkIssued(root)).to.equal(true);
    expect(root.verify(root.publicKey)).to.equal(true);
    expect(leaf.verify(leaf.publicKey)).to.equal(false);
  });

  it('signs both with ECDSA and SHA-256 on P-256 keys', () => {
    expect(signatureAlgorithmOid(leaf)).to.equal(ECDSA_WITH_SHA256_OID);
    expect(signatureAlgorithmOid(root)).to.equal(ECDSA_WITH_SHA256_OID);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    expect(root.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
  });

  it('returns the private key of the leaf as PKCS#8 PEM', () => {
    expect(certificate.key).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    const derived = createPublicKey(certificate.key).export({ type: 'spki', format: 'der' });
    expect(derived.equals(leaf.publicKey.export({ type: 'spki', format: 'der' }))).to.equal(true);
  });

  it('marks the root CA:true and the leaf CA:false, both critical', () => {
    expect(root.ca).to.equal(true);
    expect(leaf.ca).to.equal(false);
    const rootConstraints = extensionOf(certificate.caCert, BasicConstraintsExtension);
    const leafConstraints = extensionOf(certificate.cert, BasicConstraintsExtension);
    expect([rootConstraints.ca, rootConstraints.critical]).to.deep.equal([true, true]);
    expect([leafConstraints.ca, leafConstraints.critical]).to.deep.equal([false, true]);
  });

  it('limits key usage, critically: keyCertSign+cRLSign on the root, digitalSignature on the EC leaf', () => {
    const rootUsage = extensionOf(certificate.caCert, KeyUsagesExtension);
    const leafUsage = extensionOf(certificate.cert, KeyUsagesExtension);
    expect([rootUsage.usages, rootUsage.critical]).to.deep.equal([KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true]);
    expect([leafUsage.usages, leafUsage.critical]).to.deep.equal([KeyUsageFlags.digitalSignature, true]);
  });

  it('allows serverAuth and clientAuth on the leaf only', () => {
    expect(leaf.keyUsage).to.deep.equal([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth]);
    expect(extensionOf(certificate.cert, ExtendedKeyUsageExtension).critical).to.equal(false);
    expect(root.keyUsage).to.equal(undefined);
  });

  it('links the key identifiers: the leaf AKI and the root AKI are the root SKI', () => {
    const rootSki = extensionOf(certificate.caCert, SubjectKeyIdentifierExtension).keyId;
    const leafSki = extensionOf(certificate.cert, SubjectKeyIdentifierExtension).keyId;
    expect(rootSki).to.match(/^[0-9a-f]{40}$/);
    expect(leafSki).to.match(/^[0-9a-f]{40}$/).and.not.equal(rootSki);
    expect(extensionOf(certificate.caCert, AuthorityKeyIdentifierExtension).keyId).to.equal(rootSki);
    expect(extensionOf(certificate.cert, AuthorityKeyIdentifierExtension).keyId).to.equal(rootSki);
  });

  it('draws positive 63-bit serials and a fresh root every call', async () => {
    const other = await createDevelopmentCertificate(now);
    const otherRoot = new X509Certificate(other.caCert);
    for (const cert of [leaf, root, otherRoot]) {
      const serial = BigInt(`0x${cert.serialNumber}`);
      expect(serial > 0n && serial < 2n ** 63n, cert.serialNumber).to.equal(true);
    }
    expect(otherRoot.fingerprint256).to.not.equal(root.fingerprint256);
    expect(leaf.verify(otherRoot.publicKey)).to.equal(false);
  });

  describe('served over https', () => {
    let served: DevelopmentCertificate;
    let server: Server;

    before(async () => {
      served = await createDevelopmentCertificate();
      server = await listen(served);
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('is trusted for 127.0.0.1 by a client that trusts the root', async () => {
      expect(await get({ host: '127.0.0.1', port: portOf(server), ca: served.caCert })).to.equal('hello over tls');
    });

    it('is trusted for localhost by a client that trusts the root', async () => {
      expect(await get({ host: 'localhost', port: portOf(server), ca: served.caCert })).to.equal('hello over tls');
    });

    it('is rejected by a client that does not trust the root', async () => {
      expect(await failureCodeOf(get({ host: '127.0.0.1', port: portOf(server) }))).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    });

    it('is rejected for a name it does not carry', async () => {
      const code = await failureCodeOf(get({ host: '127.0.0.1', port: portOf(server), ca: served.caCert, servername: 'example.com' }));
      expect(code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
    });
  });
});
