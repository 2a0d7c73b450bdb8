import { expr, parts, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import type { Node } from './parser.ts';
import { variableName } from './variables.ts';

/** Counts the assignments to each variable of a scope, without entering nested script blocks (scopes of their own). */
export function countAssignments(root: Node): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: Node): void => {
    if (node.type === 'script_block_expression' && node !== root) return;
    if (node.type === 'assignment_expression') {
      const target = node.namedChildren[0]?.namedChildren[0]?.namedChildren[0];
      if (target?.type === 'variable') {
        const name = variableName(target).toLowerCase();
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
    for (const child of node.namedChildren) if (child !== null) visit(child);
  };
  visit(root);
  return counts;
}

/** `{ … }` as a route's arrow function: `async` when it awaits a cmdlet, `(context)` when it reads $Context. */
export function convertScriptBlock(cx: ConvertContext, node: Node): Expr {
  const param = parts(node).find((child) => child.type === 'param_block');
  if (param !== undefined) throw cx.refuse(param, 'A param() block inside a script block is not supported by kestrun-ts convert; routes read $Context and the request cmdlets.');
  // Comments before the first statement are children of the block itself.
  const statements = parts(node).flatMap((child) => {
    if (child.type === 'comment') return [child];
    if (child.type !== 'script_block') return [];
    return parts(child).flatMap((inner) => (inner.type === 'script_block_body' ? parts(inner) : [inner]));
  });
  const { result: lines, scope } = cx.inScope(countAssignments(node), () => cx.convert.statements(statements));
  const head = `${scope.usesAwait ? 'async ' : ''}(${scope.usesContext ? 'context' : ''}) =>`;
  if (lines.length === 0) return expr(`${head} {}`, 'unknown', Precedence.arrow);
  const text = lines.map((line) => (line === '' ? '' : `  ${line}`)).join('\n');
  return expr(`${head} {\n${text}\n}`, 'unknown', Precedence.arrow);
}
