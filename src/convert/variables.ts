import { camelCase, expr } from './context.ts';
import type { ConvertContext, Expr, Variable } from './context.ts';
import type { Node } from './parser.ts';

/** The name without `$` and braces: `${My Var}` → `My Var`. */
export function variableName(node: Node): string {
  return node.text.replace(/^[$@]/, '').replace(/^\{(.*)\}$/, '$1');
}

const UNSUPPORTED_AUTOMATIC = new Set(['_', 'psitem', 'args', 'input', 'this', 'psscriptroot', 'pscommandpath', 'psboundparameters', 'myinvocation', 'error', 'lastexitcode']);

/** `$name`: the automatic constants, `$env:X`, `$Context` and the script's own variables. */
export function convertVariable(cx: ConvertContext, node: Node): Expr {
  const name = variableName(node);
  const lower = name.toLowerCase();
  if (lower === 'true' || lower === 'false') return expr(lower, 'boolean');
  if (lower === 'null') return expr('null', 'null', undefined, true);
  if (lower.startsWith('env:')) return expr(`process.env.${envName(cx, node, name.slice(4))}`, 'string', undefined, true);
  if (lower === 'context') {
    if (cx.scope.isScript) throw cx.refuse(node, '$Context exists only inside a route script block.');
    markContext(cx);
    return expr('context', 'unknown');
  }
  if (lower.includes(':')) throw cx.refuse(node, `The scoped variable '$${name}' is not supported by kestrun-ts convert.`);
  if (UNSUPPORTED_AUTOMATIC.has(lower)) throw cx.refuse(node, `The automatic variable '$${name}' is not supported by kestrun-ts convert.`);
  const variable = cx.scope.lookup(name);
  if (variable === undefined || !variable.declared) {
    throw cx.refuse(node, `The variable '$${name}' cannot be retrieved because it has not been set.`);
  }
  return expr(variable.tsName, variable.type, undefined, variable.nullable);
}

function envName(cx: ConvertContext, node: Node, name: string): string {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw cx.refuse(node, `The environment variable name '${name}' is not supported by kestrun-ts convert.`);
  return name;
}

/** Every scope up to the route's own uses the context argument. */
function markContext(cx: ConvertContext): void {
  for (let scope: typeof cx.scope | undefined = cx.scope; scope !== undefined && !scope.isScript; scope = scope.parent) {
    scope.usesContext = true;
    if (scope.parent?.isScript === true) break;
  }
}

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'context', 'process', 'console', 'hostname']);

/** A TypeScript name for a PowerShell variable: camelCase, and not a keyword or a name the converted script uses. */
export function tsNameFor(name: string): string {
  const camel = camelCase(name.replace(/[^\w]/g, '_'));
  return RESERVED.has(camel) || /^\d/.test(camel) ? `${camel}Value` : camel;
}

/** Declares a variable in the current scope on its first assignment. */
export function declareVariable(cx: ConvertContext, name: string, value: Expr): Variable {
  const assignments = cx.scope.assignmentCounts.get(name.toLowerCase()) ?? 1;
  const variable: Variable = { tsName: tsNameFor(name), type: value.type, nullable: value.nullable, declared: true, assignments };
  cx.scope.variables.set(name.toLowerCase(), variable);
  return variable;
}
