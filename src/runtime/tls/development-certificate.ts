/**
 * The certificate Add-KrEndpoint -SelfSignedCert serves: a fresh, untrusted root CA and a localhost leaf it
 * issues, as Kestrun's CertificateManager.CreateDevelopmentCertificate makes them.
 *
 * Built on @peculiar/x509 rather than selfsigned, which cannot write the SubjectKeyIdentifier and
 * AuthorityKeyIdentifier that Kestrun's certificates carry (docs/deviations.md, Certificates).
 *
 * Only the leaf is served (`cert`), as in Kestrun: the root is a trust anchor, and a client that does not
 * already trust it gains nothing from receiving it in the handshake.
 */
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import type { Extension, X509Certificate } from '@peculiar/x509';

export interface DevelopmentCertificate {
  /** PKCS#8 PEM private key of the leaf. */
  key: string;
  /** PEM leaf certificate, the only certificate the listener serves. */
  cert: string;
  /** PEM root CA certificate, for clients that want to verify the leaf. */
  caCert: string;
  subject: string;
  issuer: string;
}

type KeyAlgorithm = webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams;

/**
 * Kestrun uses RSA-2048; P-256 keys are far quicker to generate on every start and every TLS client accepts them.
 * Swapping in `{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent, hash }` restores parity.
 */
const DEVELOPMENT_KEY_ALGORITHM: KeyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNATURE_HASH = 'SHA-256';

const ROOT_SUBJECT = 'CN=Kestrun Development Root CA';
const LEAF_SUBJECT = 'CN=localhost';
const LEAF_SUBJECT_ALT_NAMES = [
  { type: 'dns', value: 'localhost' },
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '::1' },
] as const;

/** Kestrun backdates both certificates so a client whose clock lags slightly still accepts them. */
const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ROOT_VALID_DAYS = 3650;
const LEAF_VALID_DAYS = 30;

export async function createDevelopmentCertificate(now = new Date()): Promise<DevelopmentCertificate> {
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const rootKeys = await generateKeys();
  const leafKeys = await generateKeys();

  const root = await issue({
    subject: ROOT_SUBJECT,
    issuer: ROOT_SUBJECT,
    notBefore,
    validDays: ROOT_VALID_DAYS,
    publicKey: rootKeys.publicKey,
    issuerKeys: rootKeys,
    extensions: [
      new BasicConstraintsExtension(true, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    ],
  });

  const leaf = await issue({
    subject: LEAF_SUBJECT,
    issuer: ROOT_SUBJECT,
    notBefore,
    validDays: LEAF_VALID_DAYS,
    publicKey: leafKeys.publicKey,
    issuerKeys: rootKeys,
    extensions: [
      new SubjectAlternativeNameExtension([...LEAF_SUBJECT_ALT_NAMES], false),
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(leafKeyUsages(), true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth, ExtendedKeyUsage.clientAuth], false),
    ],
  });

  return {
    key: KeyObject.from(leafKeys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: leaf.toString('pem'),
    caCert: root.toString('pem'),
    subject: LEAF_SUBJECT,
    issuer: ROOT_SUBJECT,
  };
}

interface IssueParams {
  subject: string;
  issuer: string;
  notBefore: Date;
  validDays: number;
  publicKey: webcrypto.CryptoKey;
  issuerKeys: webcrypto.CryptoKeyPair;
  extensions: Extension[];
}

async function issue(params: IssueParams): Promise<X509Certificate> {
  const keyIdentifiers = [
    await SubjectKeyIdentifierExtension.create(params.publicKey),
    await AuthorityKeyIdentifierExtension.create(params.issuerKeys.publicKey),
  ];
  return X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: params.subject,
    issuer: params.issuer,
    notBefore: params.notBefore,
    notAfter: new Date(params.notBefore.getTime() + params.validDays * DAY_MS),
    publicKey: params.publicKey,
    signingKey: params.issuerKeys.privateKey,
    signingAlgorithm: { name: DEVELOPMENT_KEY_ALGORITHM.name, hash: SIGNATURE_HASH },
    extensions: [...params.extensions, ...keyIdentifiers],
  });
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(DEVELOPMENT_KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** keyEncipherment only means something for RSA key transport; RFC 5480 forbids it on EC keys. */
function leafKeyUsages(): KeyUsageFlags {
  return DEVELOPMENT_KEY_ALGORITHM.name === 'ECDSA'
    ? KeyUsageFlags.digitalSignature
    : KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment;
}

/** Kestrun's range, 1 to 2^63−1: eight random bytes with the sign bit cleared, never all zero. */
function randomSerialNumber(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes.every((byte) => byte === 0)) {
    bytes[7] = 1;
  }
  return bytes.toString('hex');
}
