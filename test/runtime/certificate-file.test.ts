import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { loadCertificateFile } from '../../src/runtime/tls/certificate-file.ts';
import type { CertificateFileOptions } from '../../src/runtime/tls/certificate-file.ts';
import { createDevelopmentCertificate } from '../../src/runtime/tls/development-certificate.ts';
import type { DevelopmentCertificate } from '../../src/runtime/tls/development-certificate.ts';

const PASSWORD = 'correct horse';

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
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

function certificatesIn(pem: string | Buffer | undefined): string[] {
  return String(pem).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** Serves the options and fetches / with a client that trusts only `ca`, so a broken chain or key fails the test. */
async function fetchOver(options: CertificateFileOptions, ca: string): Promise<string> {
  const { subject: _subject, ...tls } = options;
  const server: Server = createServer(tls, (_request, response) => response.end('served'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, ca, path: '/', agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('loadCertificateFile', () => {
  let dir: string;
  let dev: DevelopmentCertificate;
  const at = (name: string): string => join(dir, name);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kestrun-cert-'));
    dev = await createDevelopmentCertificate();
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with Kestrun\'s wording for a missing file', async () => {
    const path = at('absent.pfx');
    const error = await rejectionOf(loadCertificateFile(path));
    expect(error.message).to.equal(`Certificate file not found: ${path}`);
  });

  describe('PEM', () => {
    it('reads certificate, chain and key from one file and serves them', async () => {
      await writeFile(at('combined.pem'), dev.cert + dev.caCert + dev.key);
      const options = await loadCertificateFile(at('combined.pem'));
      expect(options.subject).to.equal('CN=localhost');
      expect(certificatesIn(options.cert).map((pem) => new X509Certificate(pem).subject))
        .to.deep.equal(['CN=localhost', 'CN=Kestrun Development Root CA']);
      expect(options.key).to.equal(dev.key);
      expect(options).to.not.have.property('pfx');
      expect(options).to.not.have.property('passphrase');
      expect(await fetchOver(options, dev.caCert)).to.equal('served');
    });

    it('finds the key wherever it sits in the file', async () => {
      await writeFile(at('key-first.pem'), dev.key + dev.cert);
      const options = await loadCertificateFile(at('key-first.pem'));
      expect(options.key).to.equal(dev.key);
      expect(certificatesIn(options.cert)).to.have.length(1);
    });

    it('takes the key from the sibling .key file when the certificate file has none', async () => {
      await writeFile(at('site.crt'), dev.cert);
      await writeFile(at('site.key'), dev.key);
      const options = await loadCertificateFile(at('site.crt'));
      expect(options.key).to.equal(dev.key);
      expect(await fetchOver(options, dev.caCert)).to.equal('served');
    });

    it('names both places it looked when there is no key', async () => {
      await writeFile(at('lonely.crt'), dev.cert);
      const error = await rejectionOf(loadCertificateFile(at('lonely.crt')));
      expect(error.message).to.equal(
        `Certificate file '${at('lonely.crt')}' has no private key: expected a PRIVATE KEY block in it or a key file '${at('lonely.key')}'.`,
      );
    });

    describe('with an encrypted key', () => {
      before(async () => {
        const encrypted = createPrivateKey(dev.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD });
        await writeFile(at('encrypted.pem'), dev.cert + encrypted.toString());
      });

      it('decrypts it with the password', async () => {
        const options = await loadCertificateFile(at('encrypted.pem'), PASSWORD);
        expect(options.passphrase).to.equal(PASSWORD);
        expect(String(options.key)).to.contain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
        expect(await fetchOver(options, dev.caCert)).to.equal('served');
      });

      for (const [name, password] of [['a wrong password', 'wrong'], ['no password', undefined]] as const) {
        it(`fails clearly with ${name}`, async () => {
          const error = await rejectionOf(loadCertificateFile(at('encrypted.pem'), password));
          expect(error.message).to.match(new RegExp(`^Cannot load certificate file '${escape(at('encrypted.pem'))}': `));
          expect(error.message).to.contain('wrong or missing password');
        });
      }
    });

    it('rejects a key that does not belong to the certificate', async () => {
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
      await writeFile(at('mismatch.pem'), dev.cert + stranger.toString());
      const error = await rejectionOf(loadCertificateFile(at('mismatch.pem')));
      expect(error.message).to.match(new RegExp(`^Cannot load certificate file '${escape(at('mismatch.pem'))}': .*mismatch`));
    });

    it('rejects PEM without a certificate', async () => {
      await writeFile(at('only-key.pem'), dev.key);
      const error = await rejectionOf(loadCertificateFile(at('only-key.pem')));
      expect(error.message).to.equal(`Certificate file '${at('only-key.pem')}' is neither PEM with a CERTIFICATE block nor PKCS#12 (PFX/P12).`);
    });

    it('rejects a DER certificate and plain text alike', async () => {
      await writeFile(at('site.cer'), new X509Certificate(dev.cert).raw);
      await writeFile(at('notes.txt'), 'not a certificate');
      for (const name of ['site.cer', 'notes.txt']) {
        const error = await rejectionOf(loadCertificateFile(at(name)));
        expect(error.message).to.equal(`Certificate file '${at(name)}' is neither PEM with a CERTIFICATE block nor PKCS#12 (PFX/P12).`);
      }
    });

    it('reports a multi-part subject most specific first', async () => {
      const pems = await generate(
        [{ name: 'countryName', value: 'US' }, { name: 'organizationName', value: 'Org' }, { name: 'commonName', value: 'site.test' }],
        { keyType: 'ec', algorithm: 'sha256' },
      );
      await writeFile(at('multi.pem'), pems.cert + pems.private);
      expect((await loadCertificateFile(at('multi.pem'))).subject).to.equal('CN=site.test, O=Org, C=US');
    });
  });

  describe('PKCS#12', () => {
    before(async function () {
      if (!opensslAvailable()) {
        this.skip();
      }
      await writeFile(at('leaf.pem'), dev.cert);
      await writeFile(at('leaf.key'), dev.key);
      await writeFile(at('ca.pem'), dev.caCert);
      const exportPfx = (out: string, password: string, ...extra: string[]): void => {
        execFileSync('openssl', ['pkcs12', '-export', '-in', at('leaf.pem'), '-out', at(out), '-passout', `pass:${password}`, ...extra], { stdio: 'ignore' });
      };
      exportPfx('site.pfx', PASSWORD, '-inkey', at('leaf.key'), '-certfile', at('ca.pem'));
      exportPfx('open.p12', '', '-inkey', at('leaf.key'));
      exportPfx('nokey.pfx', PASSWORD, '-nokeys');
      await copyFile(at('site.pfx'), at('site-pfx.bin'));
    });

    it('loads a .pfx with its password and serves it', async () => {
      const options = await loadCertificateFile(at('site.pfx'), PASSWORD);
      expect(options.subject).to.equal('CN=localhost');
      expect(options.pfx).to.be.instanceOf(Buffer);
      expect(options.passphrase).to.equal(PASSWORD);
      expect(options).to.not.have.property('key');
      expect(options).to.not.have.property('cert');
      expect(await fetchOver(options, dev.caCert)).to.equal('served');
    });

    it('recognises PKCS#12 by its bytes whatever the extension', async () => {
      const options = await loadCertificateFile(at('site-pfx.bin'), PASSWORD);
      expect(options.pfx).to.be.instanceOf(Buffer);
      expect(options.subject).to.equal('CN=localhost');
    });

    it('loads a .p12 without a password', async () => {
      const options = await loadCertificateFile(at('open.p12'));
      expect(options.subject).to.equal('CN=localhost');
      expect(options).to.not.have.property('passphrase');
    });

    for (const [name, password] of [['a wrong password', 'wrong'], ['no password', undefined]] as const) {
      it(`fails clearly with ${name}`, async () => {
        const error = await rejectionOf(loadCertificateFile(at('site.pfx'), password));
        expect(error.message).to.equal(
          `Cannot load certificate file '${at('site.pfx')}': mac verify failure (wrong or missing password, or a corrupt file)`,
        );
      });
    }

    it('rejects a PFX without a private key', async () => {
      const error = await rejectionOf(loadCertificateFile(at('nokey.pfx'), PASSWORD));
      expect(error.message).to.equal(`Cannot load certificate file '${at('nokey.pfx')}': Unable to load private key from PFX data`);
    });

    it('explains a PFX sealed with legacy ciphers', async function () {
      try {
        execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-in', at('leaf.pem'), '-inkey', at('leaf.key'), '-out', at('legacy.pfx'), '-passout', `pass:${PASSWORD}`], { stdio: 'ignore' });
      } catch {
        this.skip();
      }
      const error = await rejectionOf(loadCertificateFile(at('legacy.pfx'), PASSWORD));
      expect(error.message).to.equal(
        `Cannot load certificate file '${at('legacy.pfx')}': Unsupported PKCS12 PFX data`
          + ' (possibly legacy PKCS#12 encryption such as RC2 or 3DES, which OpenSSL 3 disables; re-export the file with AES)',
      );
    });

    it('rejects a corrupt .pfx, naming the file', async () => {
      await writeFile(at('corrupt.pfx'), Buffer.from('3082ffff020103deadbeef', 'hex'));
      const error = await rejectionOf(loadCertificateFile(at('corrupt.pfx'), PASSWORD));
      expect(error.message).to.match(new RegExp(`^Cannot load certificate file '${escape(at('corrupt.pfx'))}': .+`));
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
