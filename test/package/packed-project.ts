import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The consumer's compiler settings: what `tsc --init` users pick for Node, with nothing skipped. */
const CONSUMER_TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
  include: ['*.ts'],
};

export interface PackedProject {
  /** The consumer project, with the tarball installed as its dependency `kestrun-ts`. */
  readonly dir: string;
  readonly tarball: string;
  remove(): Promise<void>;
}

/** The environment of an npm run from inside `npm test`, without the outer run's package and prefix settings. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^npm_(package_|lifecycle_|config_local_prefix)/i.test(key));
  return { ...Object.fromEntries(inherited), NODE_OPTIONS: '' };
}

async function npm(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('npm', [...args], { cwd, env: npmEnvironment(), maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** The version this repository installed, so the consumer's tools match and come from the npm cache. */
async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The README's first server, on a free port instead of 5000, so the guide's own code is what runs. */
async function readmeServer(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = /A complete server, `server\.mjs`[^`]*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined || !block.includes('port: 5000')) throw new Error("README.md lost its first server (`server.mjs` on port 5000).");
  return block.replace('port: 5000', 'port: 0');
}

/**
 * Packs this repository as `npm pack` does for a release (its prepare script builds dist/), then installs the
 * tarball into a fresh project beside TypeScript, @types/node and tsx, as a user's project would have them.
 */
export async function packAndInstall(): Promise<PackedProject> {
  const base = await mkdtemp(join(tmpdir(), 'kestrun-ts-package-'));
  const packed = JSON.parse(await npm(ROOT, ['pack', '--json', '--pack-destination', base])) as [{ filename: string }];
  const tarball = join(base, packed[0].filename);
  const dir = join(base, 'consumer');
  await cp(FIXTURES, dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  await writeFile(join(dir, 'readme-server.mjs'), await readmeServer());
  const tools = await Promise.all(['typescript', '@types/node', 'tsx'].map(async (name) => `${name}@${await installedVersion(name)}`));
  await npm(dir, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...tools]);
  return { dir, tarball, remove: () => rm(base, { recursive: true, force: true }) };
}

/** Runs the consumer's own TypeScript compiler; resolves with its exit code and output, errors included. */
export async function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    const { stdout } = await run(process.execPath, [tsc, '-p', '.', '--listFiles'], { cwd: dir, env: npmEnvironment() });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, output: failed.stdout ?? String(error) };
  }
}
