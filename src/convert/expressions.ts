import { expr, operand, parts, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import { instanceCall, instanceMember, staticCall, staticMember, typeName, typeOf } from './dotnet.ts';
import { arithmetic, comparison, logical, unaryOperator } from './operators.ts';
import type { Node } from './parser.ts';
import { convertComment, propertyKey, renderObject } from './render.ts';
import type { Property } from './render.ts';
import { convertStringLiteral, subExpression } from './strings.ts';
import { convertVariable } from './variables.ts';

/** Converts one expression node; anything it does not know is refused with the node's position. */
export function convertExpression(cx: ConvertContext, node: Node): Expr {
  switch (node.type) {
    case 'unary_expression':
    case 'argument_expression':
    case 'assignment_value':
      return single(cx, node);
    case 'expression_with_unary_operator':
      return node.children[0]?.isNamed === true ? single(cx, node) : unaryOperator(cx, node);
    case 'parenthesized_expression':
      return cx.convert.value(parts(node)[0] ?? node);
    case 'sub_expression':
      return subExpression(cx, node);
    case 'integer_literal':
    case 'real_literal':
      return numberLiteral(cx, node);
    case 'string_literal':
      return convertStringLiteral(cx, node);
    case 'variable':
      return convertVariable(cx, node);
    case 'comparison_expression':
      return comparison(cx, node);
    case 'logical_expression':
      return logical(cx, node);
    case 'additive_expression':
    case 'multiplicative_expression':
      return arithmetic(cx, node);
    case 'null_coalesce_expression':
      return coalesce(cx, node);
    case 'array_literal_expression':
      return expr(`[${parts(node).map((item) => convertExpression(cx, item).code).join(', ')}]`, 'array');
    case 'array_expression':
      return arrayExpression(cx, node);
    case 'hash_literal_expression':
      return hashLiteral(cx, node);
    case 'cast_expression':
      return cast(cx, node);
    case 'member_access':
    case 'invocation_expression':
      return memberOrCall(cx, node);
    case 'element_access':
      return elementAccess(cx, node);
    case 'script_block_expression':
      return cx.convert.scriptBlock(node);
    case 'if_statement':
      return cx.convert.ifExpression(node);
    case 'pipeline':
    case 'pipeline_chain':
      return cx.convert.value(node);
    default:
      throw cx.refuse(node, `${describeNode(node)} is not supported by kestrun-ts convert.`);
  }
}

function describeNode(node: Node): string {
  return `The construct '${node.type.replace(/_/g, ' ')}'`;
}

function single(cx: ConvertContext, node: Node): Expr {
  const [only] = parts(node);
  if (only === undefined) throw cx.refuse(node, 'An empty expression cannot be converted.');
  return convertExpression(cx, only);
}

function numberLiteral(cx: ConvertContext, node: Node): Expr {
  const text = node.text;
  if (/^\d+(\.\d+)?$/.test(text) || /^0x[0-9a-f]+$/i.test(text)) return expr(text, 'number');
  throw cx.refuse(node, `The number '${text}' (with a type or size suffix) is not supported by kestrun-ts convert.`);
}

function coalesce(cx: ConvertContext, node: Node): Expr {
  const [leftNode, rightNode] = parts(node);
  if (leftNode === undefined || rightNode === undefined) throw cx.refuse(node, 'Incomplete ?? expression.');
  const left = convertExpression(cx, leftNode);
  const right = convertExpression(cx, rightNode);
  const type = left.type === right.type ? left.type : 'unknown';
  return expr(`${operand(left, Precedence.coalesce + 1)} ?? ${operand(right, Precedence.coalesce + 1)}`, type, Precedence.coalesce, right.nullable);
}

/** `@(…)`: the array of what its statements produce; a comma list inside is the array itself. */
function arrayExpression(cx: ConvertContext, node: Node): Expr {
  const list = parts(node)[0];
  const statements = list === undefined ? [] : parts(list).filter((child) => child.type !== 'empty_statement');
  const items = statements.map((statement) => cx.convert.value(statement));
  const [first] = items;
  if (items.length === 1 && first !== undefined && first.type === 'array') return first;
  return expr(`[${items.map((item) => item.code).join(', ')}]`, 'array');
}

/** `@{…}`, `[ordered]@{…}` and `[pscustomobject]@{…}`: an object literal, keys in source order, comments kept. */
export function hashLiteral(cx: ConvertContext, node: Node): Expr {
  const body = parts(node).find((child) => child.type === 'hash_literal_body');
  const entries: Property[] = [];
  let pending: string[] = [];
  for (const child of body === undefined ? [] : parts(body)) {
    if (child.type === 'comment') {
      const previous = entries.at(-1);
      const sameLine = previous !== undefined && previous.trailingComment === undefined && child.startPosition.row === lastRow(child);
      if (sameLine) entries[entries.length - 1] = { ...previous, trailingComment: convertComment(child.text) };
      else pending.push(convertComment(child.text));
      continue;
    }
    if (child.type !== 'hash_entry') continue;
    const [keyNode, valueNode] = parts(child);
    if (keyNode === undefined || valueNode === undefined) throw cx.refuse(child, 'Incomplete hashtable entry.');
    entries.push({ key: hashKey(cx, keyNode), value: cx.convert.value(valueNode).code, leadingComments: pending });
    pending = [];
  }
  const multiline = node.startPosition.row !== node.endPosition.row;
  return expr(renderObject(entries, multiline), 'object');
}

/** The row where the sibling before a comment ends. */
function lastRow(comment: Node): number {
  return comment.previousNamedSibling?.endPosition.row ?? -1;
}

function hashKey(cx: ConvertContext, keyNode: Node): string {
  const inner = parts(keyNode)[0] ?? keyNode;
  if (inner.type === 'simple_name') return propertyKey(inner.text);
  const key = convertExpression(cx, inner);
  if (/^'[^'\\]*'$/.test(key.code)) return propertyKey(key.code.slice(1, -1));
  if (key.type === 'number') return key.code;
  throw cx.refuse(keyNode, 'A computed hashtable key is not supported by kestrun-ts convert.');
}

/** `[int]`, `[string]`, `[bool]` with PowerShell's conversions; `[ordered]` and `[pscustomobject]` on a hashtable. */
function cast(cx: ConvertContext, node: Node): Expr {
  const typeNode = typeOf(node);
  const valueNode = parts(node).at(-1);
  if (typeNode === undefined || valueNode === undefined) throw cx.refuse(node, 'Incomplete cast.');
  const type = typeName(typeNode);
  const value = convertExpression(cx, valueNode);
  if ((type === 'ordered' || type === 'pscustomobject') && value.type === 'object') return value;
  if (type === 'string') return value.type === 'string' && !value.nullable ? value : expr(`String(${value.code} ?? '')`, 'string', Precedence.postfix);
  if (type === 'bool' || type === 'boolean') return value.type === 'boolean' ? value : expr(`Boolean(${value.code})`, 'boolean', Precedence.postfix);
  if (type === 'int' || type === 'int32') return castToInt(cx, node, value);
  throw cx.refuse(node, `The cast [${type}] is not supported by kestrun-ts convert (supported: [int], [string], [bool], [ordered], [pscustomobject]).`);
}

/** [int]: a whole number stays, a numeric string is parsed, and .NET rounds halves to even (Math.round does not). */
function castToInt(cx: ConvertContext, node: Node, value: Expr): Expr {
  const literal = /^'\s*([+-]?\d+(\.\d+)?)\s*'$/.exec(value.code)?.[1] ?? (value.type === 'number' ? value.code : undefined);
  if (literal !== undefined) {
    const number = Number(literal);
    const floor = Math.floor(number);
    const rounded = number - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(number);
    return expr(String(rounded), 'number', rounded < 0 ? Precedence.unary : Precedence.atom);
  }
  throw cx.refuse(node, '[int] of a value known only at run time is not supported by kestrun-ts convert; only of a literal number or numeric string.');
}

function argumentsOf(cx: ConvertContext, node: Node): Expr[] {
  const list = parts(node).find((child) => child.type === 'argument_list');
  const expressions = list === undefined ? undefined : parts(list).find((child) => child.type === 'argument_expression_list');
  return expressions === undefined ? [] : parts(expressions).map((argument) => convertExpression(cx, argument));
}

function memberOrCall(cx: ConvertContext, node: Node): Expr {
  const [targetNode] = parts(node);
  const memberNode = parts(node).find((child) => child.type === 'member_name');
  if (targetNode === undefined || memberNode === undefined) throw cx.refuse(node, 'Incomplete member access.');
  const member = memberNode.text;
  const isStatic = node.children.some((child) => child?.text === '::');
  const call = node.type === 'invocation_expression';
  if (isStatic && targetNode.type === 'type_literal') {
    const type = typeName(targetNode);
    return call ? staticCall(cx, node, type, member, argumentsOf(cx, node)) : staticMember(cx, node, type, member);
  }
  const target = convertExpression(cx, targetNode);
  return call ? instanceCall(cx, node, target, member, argumentsOf(cx, node)) : instanceMember(cx, node, target, member);
}

function elementAccess(cx: ConvertContext, node: Node): Expr {
  const [targetNode, indexNode] = parts(node);
  if (targetNode === undefined || indexNode === undefined) throw cx.refuse(node, 'Incomplete index.');
  const target = convertExpression(cx, targetNode);
  const index = convertExpression(cx, indexNode);
  if (target.type !== 'array' || index.type !== 'number') {
    throw cx.refuse(node, 'Only indexing an array by a number is supported by kestrun-ts convert.');
  }
  return expr(`${operand(target, Precedence.postfix)}${target.nullable ? '?.' : ''}[${index.code}]`, 'unknown', Precedence.postfix, true);
}
