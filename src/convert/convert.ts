import { convertChain } from './commands.ts';
import { ConvertContext, parts } from './context.ts';
import type { Converters } from './context.ts';
import { ConstructRefused, ConversionError } from './diagnostics.ts';
import { convertExpression } from './expressions.ts';
import { convertParamBlock } from './params.ts';
import { parsePowerShell } from './parser.ts';
import type { Node } from './parser.ts';
import { convertComment } from './render.ts';
import { convertScriptBlock, countAssignments } from './script-block.ts';
import { convertStatements, ifExpression } from './statements.ts';

/** The module a converted script imports its cmdlets from. */
export const PACKAGE_NAME = 'kestrun-ts';

function converters(cx: ConvertContext): Converters {
  return {
    expression: (node) => convertExpression(cx, node),
    value: (node) => {
      if (node.type !== 'pipeline' && node.type !== 'pipeline_chain') return convertExpression(cx, node);
      const chain = node.type === 'pipeline' ? parts(node)[0] : node;
      if (chain?.type === 'if_statement') return ifExpression(cx, chain);
      if (chain?.type !== 'pipeline_chain') throw cx.refuse(node, 'An assignment used as a value is not supported by kestrun-ts convert.');
      const result = convertChain(cx, chain);
      if (result.discarded) throw cx.refuse(node, '| Out-Null used as a value is not supported by kestrun-ts convert.');
      return result.value;
    },
    statements: (nodes) => convertStatements(cx, nodes),
    scriptBlock: (node) => convertScriptBlock(cx, node),
    ifExpression: (node) => ifExpression(cx, node),
  };
}

/** Syntax errors first: a tree with ERROR or MISSING nodes is not converted at all. */
function syntaxErrors(cx: ConvertContext, root: Node): void {
  if (!root.hasError) return;
  const before = cx.diagnostics.list.length;
  const visit = (node: Node): void => {
    if (node.isMissing) cx.refuse(node, `Syntax error: missing '${node.type}'.`);
    else if (node.type === 'ERROR') cx.refuse(node, `Syntax error: PowerShell cannot parse '${node.text.split('\n')[0]?.slice(0, 40) ?? ''}'.`);
    else for (const child of node.children) if (child !== null && (child.hasError || child.isMissing)) visit(child);
  };
  visit(root);
  if (cx.diagnostics.list.length === before) cx.refuse(root, 'Syntax error.');
}

function importLines(cx: ConvertContext): string[] {
  const lines = [...cx.nodeImports.entries()].sort().map(([module, names]) => `import { ${[...names].sort().join(', ')} } from '${module}';`);
  const named = (keyword: string, names: ReadonlySet<string>): string[] => {
    if (names.size === 0) return [];
    const sorted = [...names].sort((a, b) => a.localeCompare(b));
    const inline = `import ${keyword}{ ${sorted.join(', ')} } from '${PACKAGE_NAME}';`;
    return inline.length <= 100 ? [inline] : [`import ${keyword}{`, ...sorted.map((name) => `  ${name},`), `} from '${PACKAGE_NAME}';`];
  };
  return [...lines, ...named('', cx.kestrunImports), ...named('type ', cx.kestrunTypeImports)];
}

/** Converts a Kestrun .ps1 to a kestrun-ts .ts script of the same shape; throws ConversionError listing every refusal. */
export async function convertPowerShell(source: string, file = 'script.ps1'): Promise<string> {
  // Windows line endings become \n: lines and columns are unchanged, and comments and here-strings carry no \r.
  const text = source.replace(/\r\n?/g, '\n');
  const tree = await parsePowerShell(text);
  try {
    return convertTree(tree.rootNode, text, file);
  } finally {
    tree.delete(); // the tree lives in the WebAssembly heap, not in JavaScript's
  }
}

function convertTree(root: Node, source: string, file: string): string {
  const cx = new ConvertContext(source, countAssignments(root), converters);
  syntaxErrors(cx, root);
  if (cx.diagnostics.list.length > 0) throw new ConversionError(file, cx.diagnostics.list);
  const nodes = parts(root);
  const firstCode = nodes.findIndex((node) => node.type !== 'comment');
  const header = (firstCode === -1 ? nodes : nodes.slice(0, firstCode)).flatMap((node) => convertComment(node.text).split('\n'));
  const rest = firstCode === -1 ? [] : nodes.slice(firstCode);
  const param = rest[0]?.type === 'param_block' ? rest.shift() : undefined;
  let parameters: string[] = [];
  try {
    parameters = param === undefined ? [] : convertParamBlock(cx, param);
  } catch (error) {
    if (!(error instanceof ConstructRefused)) throw error;
  }
  const body = convertStatements(cx, rest);
  if (cx.diagnostics.list.length > 0) throw new ConversionError(file, cx.diagnostics.list);
  const sections = [header, importLines(cx), parameters, body].filter((section) => section.length > 0);
  return `${sections.map((section) => section.join('\n')).join('\n\n')}\n`;
}
