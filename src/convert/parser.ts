import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

export type { Node };

let loading: Promise<Parser> | undefined;

/** The tree-sitter-pwsh grammar, loaded once from its .wasm: no native build, so any Node install can parse. */
function powershellParser(): Promise<Parser> {
  loading ??= (async () => {
    // V8's optimising tier spends seconds of CPU on the grammar's huge lexer, and process exit waits for it;
    // the baseline compiler parses a script in milliseconds. Only WebAssembly is affected.
    setFlagsFromString('--liftoff-only');
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-pwsh/tree-sitter-powershell.wasm');
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    return parser;
  })();
  return loading;
}

/** Parses PowerShell source; the tree may hold ERROR and MISSING nodes, which the converter reports. */
export async function parsePowerShell(source: string): Promise<Tree> {
  const tree = (await powershellParser()).parse(source);
  if (tree === null) throw new Error('tree-sitter returned no tree');
  return tree;
}
