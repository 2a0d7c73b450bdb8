import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/kestrun-ts.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const HELLO = join(HERE, 'fixtures', '1.1-Hello-World.ps1');
const BROKEN = join(HERE, 'fixtures', 'errors', 'unsupported.ps1');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) } });
  return { code, stdout, stderr };
}

describe('kestrun-ts command line', () => {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'kestrun-ts-cli-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('convert writes the TypeScript to standard output and exits 0', async () => {
    const { code, stdout, stderr } = await cli('convert', HELLO);
    expect(code).to.equal(0);
    expect(stderr).to.equal('');
    expect(stdout).to.equal(await readFile(join(HERE, 'golden', '1.1-Hello-World.ts'), 'utf8'));
  });

  it('convert -o and --output= write a file instead', async () => {
    const short = join(folder, 'short.ts');
    const long = join(folder, 'long.ts');
    expect((await cli('convert', HELLO, '-o', short)).code).to.equal(0);
    expect((await cli('convert', `--output=${long}`, HELLO)).stdout).to.equal('');
    expect(await readFile(short, 'utf8')).to.equal(await readFile(long, 'utf8'));
    expect(await readFile(short, 'utf8')).to.include("await startKrServer();");
  });

  it('convert exits 2 and lists every refusal on standard error, writing nothing', async () => {
    const output = join(folder, 'never.ts');
    const { code, stdout, stderr } = await cli('convert', BROKEN, '-o', output);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.include(`${BROKEN}:7:1: The term 'Foo-Bar' is not recognized`);
    expect(stderr).to.include(`${BROKEN}:21:12: $Context exists only inside a route script block.\n    $Context\n`);
    expect(stderr.trimEnd().split('\n').at(-1)).to.equal(`${BROKEN}: 16 constructs cannot be converted; no TypeScript was written.`);
    expect(await readFile(output, 'utf8').catch(() => 'absent')).to.equal('absent');
  });

  it('run exits 2 on a .ps1 that does not convert, before running anything', async () => {
    const { code, stderr } = await cli('run', BROKEN, '--port', '0');
    expect(code).to.equal(2);
    expect(stderr).to.include("matches parameter name 'Prot'");
  });

  it('answers --help for itself and each command with exit code 0', async () => {
    expect(await cli('--help')).to.include({ code: 0 }).and.have.property('stdout').that.matches(/^Usage: kestrun-ts <command>/);
    expect((await cli('convert', '--help')).stdout).to.match(/^Usage: kestrun-ts convert <file.ps1> \[-o <file.ts>\]/);
    expect((await cli('run', '--help')).stdout).to.match(/^Usage: kestrun-ts run <file.ps1\|file.ts> \[script flags...\]/);
  });

  it('exits 2 with the usage for a missing file, an unknown command or no command', async () => {
    const missing = await cli('convert', join(folder, 'nowhere.ps1'));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/cannot read '.*nowhere\.ps1': no such file/);
    expect(await cli('convert')).to.include({ code: 2 });
    expect((await cli('frobnicate')).stderr).to.match(/^kestrun-ts: unknown command 'frobnicate'\./);
    expect((await cli()).code).to.equal(2);
  });
});
