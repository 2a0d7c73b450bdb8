/**
 * Add-KrEndpoint -CertPath: turns a certificate file into Node TLS server options, and proves they load
 * (right password, key matching certificate) when the endpoint is defined rather than at the first handshake.
 *
 * Format rules:
 * - PKCS#12: a `.pfx` or `.p12` extension, or any file whose bytes are a DER PFX (SEQUENCE { INTEGER 3, ... }).
 *   The password opens the PFX.
 * - PEM: any other file with PEM blocks. Every CERTIFICATE block is served, in file order (leaf first, then
 *   its chain). The private key is the file's own PRIVATE KEY block (any flavour: PKCS#8, encrypted PKCS#8,
 *   RSA, EC) or, when the file has none, the sibling file with the same base name and a `.key` extension
 *   (`site.crt` → `site.key`, `site.pem` → `site.key`). The password decrypts an encrypted key.
 * - Anything else, including a DER `.cer` (a certificate without a key cannot serve TLS), is rejected.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { SecureContext, SecureContextOptions } from 'node:tls';

export interface CertificateFileOptions {
  key?: string | Buffer;
  cert?: string | Buffer;
  pfx?: Buffer;
  passphrase?: string;
  /** The served certificate's subject in RFC 4514 order, most specific first, as .NET prints it: `CN=site, O=Org, C=US`. */
  subject: string;
}

type TlsMaterial = Omit<CertificateFileOptions, 'subject'>;

const PKCS12_EXTENSIONS = new Set(['.pfx', '.p12']);
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export async function loadCertificateFile(path: string, password?: string): Promise<CertificateFileOptions> {
  const contents = await readCertificateFile(path);
  const material = PKCS12_EXTENSIONS.has(extname(path).toLowerCase()) || isPkcs12(contents)
    ? { pfx: contents }
    : await pemMaterial(path, contents.toString('utf8'));
  const options: TlsMaterial = password === undefined ? material : { ...material, passphrase: password };
  return { ...options, subject: servedSubject(path, secureContextFor(path, options)) };
}

async function readCertificateFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`Certificate file not found: ${path}`, { cause: error });
    }
    throw error;
  }
}

/** PFX ::= SEQUENCE { version INTEGER (3), ... }; a DER certificate starts SEQUENCE { SEQUENCE ... } instead. */
function isPkcs12(bytes: Buffer): boolean {
  if (bytes[0] !== 0x30 || bytes.length < 5) {
    return false;
  }
  const lengthByte = bytes[1] ?? 0;
  const versionOffset = lengthByte & 0x80 ? 2 + (lengthByte & 0x7f) : 2;
  return bytes.subarray(versionOffset, versionOffset + 3).equals(Buffer.from([0x02, 0x01, 0x03]));
}

async function pemMaterial(path: string, text: string): Promise<TlsMaterial> {
  const blocks = pemBlocks(text);
  const certificates = blocks.filter((block) => block.label === 'CERTIFICATE').map((block) => block.pem);
  if (certificates.length === 0) {
    throw new Error(`Certificate file '${path}' is neither PEM with a CERTIFICATE block nor PKCS#12 (PFX/P12).`);
  }
  const ownKey = blocks.find((block) => block.label.endsWith('PRIVATE KEY'));
  return { cert: certificates.join('\n'), key: ownKey?.pem ?? (await siblingKey(path)) };
}

function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1] ?? '', pem: `${match[0]}\n` }));
}

async function siblingKey(path: string): Promise<string> {
  const keyPath = join(dirname(path), `${basename(path, extname(path))}.key`);
  try {
    return await readFile(keyPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `Certificate file '${path}' has no private key: expected a PRIVATE KEY block in it or a key file '${keyPath}'.`,
        { cause: error },
      );
    }
    throw error;
  }
}

function secureContextFor(path: string, options: SecureContextOptions): SecureContext {
  try {
    return createSecureContext(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot load certificate file '${path}': ${reason}${hintFor(reason)}`, { cause: error });
  }
}

/** OpenSSL's reasons read like corruption when the usual cause is a password or an old PKCS#12 cipher. */
function hintFor(reason: string): string {
  if (/mac verify failure|bad decrypt|bad password|maybe wrong password|interrupted or cancelled/i.test(reason)) {
    return ' (wrong or missing password, or a corrupt file)';
  }
  if (/unsupported pkcs12 pfx data/i.test(reason)) {
    return ' (possibly legacy PKCS#12 encryption such as RC2 or 3DES, which OpenSSL 3 disables; re-export the file with AES)';
  }
  return '';
}

/**
 * Node parses PKCS#12 only inside a secure context, and exposes the certificate loaded there only through a
 * socket; a server-side TLSSocket holds it from construction, so no handshake or network is needed.
 */
function servedSubject(path: string, context: SecureContext): string {
  const socket = new TLSSocket(new PassThrough(), { isServer: true, secureContext: context });
  try {
    const certificate = socket.getX509Certificate();
    if (certificate === undefined) {
      throw new Error(`Certificate file '${path}' contains no certificate.`);
    }
    return certificate.subject.split('\n').reverse().join(', ');
  } finally {
    socket.destroy();
  }
}
