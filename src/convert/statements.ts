import { convertChain } from './commands.ts';
import { expr, operand, parts, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import { ConstructRefused } from './diagnostics.ts';
import type { Node } from './parser.ts';
import { convertComment } from './render.ts';
import { declareVariable, tsNameFor, variableName } from './variables.ts';

/** Statement lists nested in a list (the grammar groups them) are read as one list. */
function flatten(nodes: readonly Node[]): Node[] {
  return nodes.flatMap((node) => (node.type === 'statement_list' ? flatten(parts(node)) : [node]));
}

/** Converts statements in order, keeping comments in place and one blank line where the .ps1 had any. */
export function convertStatements(cx: ConvertContext, nodes: readonly Node[]): string[] {
  const lines: string[] = [];
  let previousEnd: number | undefined;
  let blankLine = false;
  const emit = (output: readonly string[]): void => {
    if (output.length === 0) return;
    if (blankLine && lines.length > 0) lines.push('');
    blankLine = false;
    lines.push(...output);
  };
  for (const node of flatten(nodes)) {
    if (node.type === 'empty_statement') continue;
    if (node.type === 'comment' && previousEnd === node.startPosition.row && lines.length > 0) {
      appendTrailingComment(lines, convertComment(node.text));
      continue;
    }
    blankLine ||= previousEnd !== undefined && node.startPosition.row > previousEnd + 1;
    previousEnd = node.endPosition.row;
    try {
      emit(node.type === 'comment' ? convertComment(node.text).split('\n') : statement(cx, node).flatMap((line) => line.split('\n')));
    } catch (error) {
      if (!(error instanceof ConstructRefused)) throw error;
    }
  }
  return lines;
}

/** A comment after a multi-line call (backtick continuation) belongs to its last argument, not to the closing `});`. */
function appendTrailingComment(lines: string[], comment: string): void {
  const last = lines.length - 1;
  const target = /^\s*[)}\]]+;?$/.test(lines[last] ?? '') && lines[last - 1]?.endsWith(',') ? last - 1 : last;
  lines[target] += ` ${comment}`;
}

function statement(cx: ConvertContext, node: Node): string[] {
  switch (node.type) {
    case 'pipeline':
      return pipelineStatement(cx, node);
    case 'if_statement':
      return isImportGuard(node) ? [] : ifStatement(cx, node);
    case 'flow_control_statement':
      return [flowControl(cx, node)];
    default:
      throw cx.refuse(node, `The statement '${node.type.replace(/_/g, ' ')}' is not supported by kestrun-ts convert.`);
  }
}

/** `if (-not (Get-Module Kestrun)) { Import-Module Kestrun }`: the import of 'kestrun-ts' does its job. */
function isImportGuard(node: Node): boolean {
  const text = node.text.replace(/\s+/g, ' ').toLowerCase();
  return /^if \( ?-not \( ?get-module (-name )?kestrun ?\) ?\) ?\{ ?import-module kestrun( -force)? ?\}$/.test(text);
}

function pipelineStatement(cx: ConvertContext, node: Node): string[] {
  const [inner] = parts(node);
  if (inner?.type === 'assignment_expression') return [assignment(cx, inner)];
  if (inner === undefined || inner.type !== 'pipeline_chain') throw cx.refuse(node, 'This pipeline form is not supported by kestrun-ts convert.');
  if (/^import-module\s+kestrun(\s+-force)?$/i.test(inner.text.trim())) return [];
  const result = convertChain(cx, inner);
  const isMethodCall = /^unary_expression$/.test(parts(inner)[0]?.type ?? '') && parts(parts(inner)[0] as Node)[0]?.type === 'invocation_expression';
  if (!result.discarded && !result.isCall && !isMethodCall) {
    throw cx.refuse(node, 'A value on its own is written to the output; kestrun-ts convert does not support that: assign it, pass it to a cmdlet or pipe it to Out-Null.');
  }
  return `${result.value.code};`.split('\n');
}

/** A value assigned: an expression, a pipeline, or an `if` used as an expression. */
function assignedValue(cx: ConvertContext, node: Node): Expr {
  if (node.type === 'if_statement') return ifExpression(cx, node);
  return cx.convert.value(node.type === 'assignment_value' ? (parts(node)[0] ?? node) : node);
}

function assignment(cx: ConvertContext, node: Node): string {
  const [leftNode, operatorNode, valueNode] = parts(node);
  if (leftNode === undefined || operatorNode === undefined || valueNode === undefined) throw cx.refuse(node, 'Incomplete assignment.');
  const operator = operatorNode.text;
  if (!['=', '+=', '-=', '*=', '/='].includes(operator)) throw cx.refuse(operatorNode, `The assignment operator '${operator}' is not supported by kestrun-ts convert.`);
  const target = parts(leftNode)[0]?.type === 'unary_expression' ? (parts(parts(leftNode)[0] as Node)[0] ?? leftNode) : leftNode;
  const value = valueOrDeclare(cx, valueNode, target);
  if (target.type !== 'variable') {
    const left = cx.convert.expression(target);
    return `${left.code} ${operator} ${value.code};`;
  }
  const name = variableName(target);
  if (/[:]/.test(name) || /^(true|false|null|context)$/i.test(name)) throw cx.refuse(target, `Assigning '$${name}' is not supported by kestrun-ts convert.`);
  const existing = cx.scope.variables.get(name.toLowerCase());
  if (existing !== undefined) {
    if (operator === '=') existing.nullable ||= value.nullable;
    return `${existing.tsName} ${operator} ${value.code};`;
  }
  if (operator !== '=') throw cx.refuse(target, `The variable '$${name}' cannot be retrieved because it has not been set.`);
  if (cx.blockDepth > 0) {
    declareVariable(cx, name, value);
    throw cx.refuse(target, `'$${name}' is first set inside a block; kestrun-ts convert needs it set before the block (or the if used as an expression).`);
  }
  const variable = declareVariable(cx, name, value);
  const annotation = value.annotation === undefined ? '' : `: ${value.annotation}`;
  return `${variable.assignments > 1 ? 'let' : 'const'} ${variable.tsName}${annotation} = ${value.code};`;
}

/** The assigned value; when it is refused, the variable is still declared so that its uses add no second error. */
function valueOrDeclare(cx: ConvertContext, valueNode: Node, target: Node): Expr {
  try {
    return assignedValue(cx, valueNode);
  } catch (error) {
    const name = target.type === 'variable' ? variableName(target) : undefined;
    if (error instanceof ConstructRefused && name !== undefined && cx.scope.variables.get(name.toLowerCase()) === undefined) {
      declareVariable(cx, name, expr(tsNameFor(name), 'unknown', undefined, true));
    }
    throw error;
  }
}

interface Clause {
  readonly condition: Node | undefined;
  readonly block: Node;
}

function clausesOf(cx: ConvertContext, node: Node): Clause[] {
  const clauses: Clause[] = [];
  const condition = node.childForFieldName('condition') ?? undefined;
  const block = parts(node).find((child) => child.type === 'statement_block');
  if (block === undefined) throw cx.refuse(node, 'Incomplete if statement.');
  clauses.push({ condition, block });
  for (const elseif of parts(node).filter((child) => child.type === 'elseif_clauses').flatMap((list) => parts(list))) {
    const elseifBlock = parts(elseif).find((child) => child.type === 'statement_block');
    if (elseifBlock !== undefined) clauses.push({ condition: elseif.childForFieldName('condition') ?? undefined, block: elseifBlock });
  }
  const elseBlock = parts(node).find((child) => child.type === 'else_clause');
  const elseBody = elseBlock === undefined ? undefined : parts(elseBlock).find((child) => child.type === 'statement_block');
  if (elseBody !== undefined) clauses.push({ condition: undefined, block: elseBody });
  return clauses;
}

function blockStatements(block: Node): Node[] {
  return parts(block).filter((child) => child.type !== '{' && child.type !== '}');
}

function ifStatement(cx: ConvertContext, node: Node): string[] {
  const lines: string[] = [];
  for (const [index, clause] of clausesOf(cx, node).entries()) {
    const keyword = index === 0 ? 'if' : clause.condition === undefined ? '} else' : '} else if';
    const condition = clause.condition === undefined ? '' : ` (${cx.convert.value(clause.condition).code})`;
    lines.push(`${keyword}${condition} {`);
    cx.blockDepth++;
    try {
      lines.push(...convertStatements(cx, blockStatements(clause.block)).map((line) => (line === '' ? line : `  ${line}`)));
    } finally {
      cx.blockDepth--;
    }
  }
  lines.push('}');
  return lines;
}

/** `$x = if (c) { a } elseif (d) { b } else { e }` → `c ? a : d ? b : e`; a missing else is $null. */
export function ifExpression(cx: ConvertContext, node: Node): Expr {
  const clauses = clausesOf(cx, node);
  const branch = (clause: Clause): Expr => {
    const statements = blockStatements(clause.block).filter((child) => child.type !== 'comment' && child.type !== 'empty_statement');
    const flat = statements.length === 1 && statements[0]?.type === 'statement_list' ? parts(statements[0]) : statements;
    if (flat.length !== 1 || flat[0]?.type !== 'pipeline') throw cx.refuse(clause.block, 'An if used as a value must have one expression in each branch.');
    return cx.convert.value(flat[0]);
  };
  let result: Expr = clauses.at(-1)?.condition === undefined ? branch(clauses.at(-1) as Clause) : expr('null', 'null', undefined, true);
  const conditional = clauses.filter((clause) => clause.condition !== undefined).reverse();
  for (const clause of conditional) {
    const test = cx.convert.value(clause.condition as Node);
    const whenTrue = branch(clause);
    const type = whenTrue.type === result.type || result.type === 'null' ? whenTrue.type : 'unknown';
    result = expr(
      `${operand(test, Precedence.conditional + 1)} ? ${operand(whenTrue, Precedence.conditional + 1)} : ${operand(result, Precedence.conditional)}`,
      type,
      Precedence.conditional,
      whenTrue.nullable || result.nullable,
    );
  }
  return result;
}

/** `return` leaves a route (its value is not the response, so none is allowed) or ends the script; `exit N` ends it with N. */
function flowControl(cx: ConvertContext, node: Node): string {
  const keyword = node.children[0]?.text.toLowerCase();
  const valueNode = parts(node)[0];
  if (keyword === 'return' && valueNode === undefined) return cx.scope.isScript ? 'process.exit();' : 'return;';
  if (keyword === 'exit') return `process.exit(${valueNode === undefined ? '' : cx.convert.value(valueNode).code});`;
  throw cx.refuse(node, keyword === 'return' ? 'return with a value is not supported by kestrun-ts convert: a route answers with a Write-Kr*Response cmdlet.' : `'${keyword ?? node.text}' is not supported by kestrun-ts convert.`);
}
