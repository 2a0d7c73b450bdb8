/**
 * One certificate for every server of a run, so that the TLS handshake and record costs are the same for all of
 * them. ECDSA P-256, as kestrun-ts serves by default.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDevelopmentCertificate } from '../../src/runtime/tls/development-certificate.ts';

export interface CertificateFiles {
  readonly keyFile: string;
  readonly certFile: string;
}

export async function writeBenchCertificate(directory: string): Promise<CertificateFiles> {
  const certificate = await createDevelopmentCertificate();
  const files = { keyFile: join(directory, 'bench.key'), certFile: join(directory, 'bench.crt') };
  await writeFile(files.keyFile, certificate.key, { mode: 0o600 });
  await writeFile(files.certFile, certificate.cert);
  return files;
}
