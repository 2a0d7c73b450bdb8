import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Resolves 'kestrun-ts' to the package this CLI belongs to, so a script runs from any folder, whether or not
 * kestrun-ts is installed there; and makes the script an ES module (top-level await) even where the nearest
 * package.json does not say "type": "module". A data: URL, so the hook needs no loader in Node's hooks thread.
 */
const RESOLVE_HOOK = `
let entry, script;
export function initialize(data) { entry = data.entry; script = data.script; }
export async function resolve(specifier, context, next) {
  if (specifier === 'kestrun-ts') return { url: entry, shortCircuit: true };
  const resolved = await next(specifier, context);
  return resolved.url === script ? { ...resolved, format: 'module' } : resolved;
}`;

/** The package's entry beside this CLI: src/index.ts when run from source, dist/index.js when built. */
function packageEntry(): string {
  return new URL(import.meta.url.endsWith('.ts') ? '../index.ts' : '../index.js', import.meta.url).href;
}

/** tsx first: hooks run last-registered first, so ours sees tsx's resolution and can mark the script a module. */
async function registerLoaders(script: string): Promise<void> {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`, { data: { entry: packageEntry(), script } });
}

/** Runs a .ts (or .js) script as its own entry point: it sees itself and the flags after it in process.argv. */
export async function runScriptFile(file: string, args: readonly string[]): Promise<void> {
  const path = resolve(file);
  const url = pathToFileURL(path).href;
  await registerLoaders(url);
  process.argv = [process.argv[0] as string, path, ...args];
  await import(url);
}

/**
 * Runs TypeScript converted in memory. It is written to a private temporary folder (as .mts, so it is an ES module
 * wherever it lands), which is removed when the process exits.
 */
export async function runConvertedScript(source: string, ps1File: string, args: readonly string[]): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'kestrun-ts-run-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, `${basename(ps1File, extname(ps1File))}.mts`);
  writeFileSync(file, source, { mode: 0o600 });
  await runScriptFile(file, args);
}
