/**
 * Generates docs/cmdlets/: one page per exported cmdlet from the declarations its binder uses, and an index.
 * `npm run docs:cmdlets` writes the pages; test/docs/cmdlet-reference.test.ts fails when they are out of date.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as api from '../src/index.ts';
import type { CmdletDeclaration } from '../src/runtime/binding/define-cmdlet.ts';
import { renderCmdletPage, renderIndex } from './cmdlet-reference/render.ts';
import type { CmdletEntry } from './cmdlet-reference/render.ts';
import { readCmdletSources } from './cmdlet-reference/sources.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const REFERENCE_DIRECTORY = join(ROOT, 'docs', 'cmdlets');

function declarationOf(value: unknown): CmdletDeclaration | undefined {
  if (typeof value !== 'function' || !('declaration' in value)) return undefined;
  return value.declaration as CmdletDeclaration;
}

/** Every cmdlet the package exports, in the order of its name. */
export function exportedCmdlets(): CmdletEntry[] {
  const declared = Object.entries(api).flatMap(([exportName, value]) => {
    const declaration = declarationOf(value);
    return declaration === undefined ? [] : [{ exportName, declaration }];
  });
  const sources = readCmdletSources(ROOT, declared.map((entry) => entry.exportName));
  return declared
    .map((entry) => ({ ...entry, source: sources.get(entry.exportName)! }))
    .sort((a, b) => a.declaration.name.localeCompare(b.declaration.name));
}

/** The reference as files: name in docs/cmdlets/ to content. */
export function renderCmdletReference(): Map<string, string> {
  const entries = exportedCmdlets();
  const pages = new Map(entries.map((entry) => [`${entry.declaration.name}.md`, renderCmdletPage(entry)]));
  pages.set('README.md', renderIndex(entries));
  return pages;
}

async function writeReference(): Promise<void> {
  const pages = renderCmdletReference();
  await mkdir(REFERENCE_DIRECTORY, { recursive: true });
  for (const stale of (await readdir(REFERENCE_DIRECTORY)).filter((name) => !pages.has(name))) {
    await rm(join(REFERENCE_DIRECTORY, stale));
  }
  for (const [name, content] of pages) await writeFile(join(REFERENCE_DIRECTORY, name), content);
  console.log(`docs/cmdlets: ${pages.size - 1} cmdlet pages and README.md`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeReference();
}
