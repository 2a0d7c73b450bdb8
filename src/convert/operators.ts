import { expr, operand, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import type { Node } from './parser.ts';
import { parts } from './context.ts';

const RELATIONAL: Readonly<Record<string, string>> = { '-gt': '>', '-ge': '>=', '-lt': '<', '-le': '<=' };

/** `$null -eq $x` (and `$x -eq $null`): PowerShell's test for nothing, which TypeScript spells `== null`. */
function nullTest(value: Expr, negated: boolean): Expr {
  return expr(`${operand(value, Precedence.relational)} ${negated ? '!=' : '=='} null`, 'boolean', Precedence.equality);
}

/** -eq/-ne: strings compare case-insensitively, as PowerShell's do. */
function equality(left: Expr, right: Expr, negated: boolean): Expr {
  if (left.type === 'null') return nullTest(right, negated);
  if (right.type === 'null') return nullTest(left, negated);
  const op = negated ? '!==' : '===';
  if (left.type === 'string' || right.type === 'string') {
    const lower = (side: Expr): string => {
      if (/^'[^'\\]*'$/.test(side.code)) return side.code.toLowerCase();
      if (side.code.endsWith('.toLowerCase()')) return side.code;
      return `${operand(side, Precedence.postfix)}${side.nullable ? '?' : ''}.toLowerCase()`;
    };
    return expr(`${lower(left)} ${op} ${lower(right)}`, 'boolean', Precedence.equality);
  }
  return expr(`${operand(left, Precedence.relational)} ${op} ${operand(right, Precedence.relational)}`, 'boolean', Precedence.equality);
}

export function comparison(cx: ConvertContext, node: Node): Expr {
  const [leftNode, operatorNode, rightNode] = parts(node);
  if (leftNode === undefined || operatorNode === undefined || rightNode === undefined) throw cx.refuse(node, 'Incomplete comparison.');
  const name = operatorNode.text.toLowerCase().replace(/^-[ic](?=[a-z])/, '-');
  const left = cx.convert.expression(leftNode);
  const right = cx.convert.expression(rightNode);
  if (name === '-eq' || name === '-ne') return equality(left, right, name === '-ne');
  const relational = RELATIONAL[name];
  if (relational === undefined) {
    throw cx.refuse(operatorNode, `The operator '${operatorNode.text}' is not supported by kestrun-ts convert (supported: -eq -ne -lt -le -gt -ge -and -or -not).`);
  }
  return expr(`${operand(left, Precedence.additive)} ${relational} ${operand(right, Precedence.additive)}`, 'boolean', Precedence.relational);
}

export function logical(cx: ConvertContext, node: Node): Expr {
  const [leftNode, rightNode] = parts(node);
  const operator = node.children.find((child) => child !== null && !child.isNamed)?.text.toLowerCase();
  if (leftNode === undefined || rightNode === undefined) throw cx.refuse(node, 'Incomplete logical expression.');
  if (operator !== '-and' && operator !== '-or') {
    throw cx.refuse(node, `The operator '${operator ?? '?'}' is not supported by kestrun-ts convert (supported: -and, -or).`);
  }
  const prec = operator === '-and' ? Precedence.and : Precedence.or;
  const left = operand(cx.convert.expression(leftNode), prec);
  const right = operand(cx.convert.expression(rightNode), prec + 1);
  return expr(`${left} ${operator === '-and' ? '&&' : '||'} ${right}`, 'boolean', prec);
}

/**
 * `+ - * / %`. PowerShell adds to $null as to 0 (`$null + 1` is 1), so a possibly-null number is defaulted;
 * a string on the left concatenates.
 */
export function arithmetic(cx: ConvertContext, node: Node): Expr {
  const [leftNode, rightNode] = parts(node);
  const operator = node.children.find((child) => child !== null && !child.isNamed)?.text;
  if (leftNode === undefined || rightNode === undefined || operator === undefined) throw cx.refuse(node, 'Incomplete arithmetic.');
  if (!['+', '-', '*', '/', '%'].includes(operator)) throw cx.refuse(node, `The operator '${operator}' is not supported by kestrun-ts convert.`);
  const prec = operator === '+' || operator === '-' ? Precedence.additive : Precedence.multiplicative;
  const left = cx.convert.expression(leftNode);
  const right = cx.convert.expression(rightNode);
  if (left.type === 'string' && !left.nullable && operator === '+') {
    const text = right.nullable || right.type === 'null' ? `(${right.code} ?? '')` : operand(right, prec + 1);
    return expr(`${operand(left, prec)} + ${text}`, 'string', prec);
  }
  if (left.type === 'string' || left.type === 'array' || left.type === 'object') {
    throw cx.refuse(node, `'${operator}' on a ${left.type} is not supported by kestrun-ts convert.`);
  }
  const asNumber = (side: Expr): string => (side.nullable || side.type === 'null' || side.type === 'unknown' ? `(${side.code} ?? 0)` : operand(side, prec + 1));
  return expr(`${left.nullable || left.type === 'null' || left.type === 'unknown' ? `(${left.code} ?? 0)` : operand(left, prec)} ${operator} ${asNumber(right)}`, 'number', prec);
}

/** -not, !, and a leading minus or plus. */
export function unaryOperator(cx: ConvertContext, node: Node): Expr {
  const operator = node.children[0]?.text.toLowerCase();
  const valueNode = parts(node).at(-1);
  if (valueNode === undefined || operator === undefined) throw cx.refuse(node, 'Incomplete unary expression.');
  const value = cx.convert.expression(valueNode);
  if (operator === '-not' || operator === '!') return expr(`!${operand(value, Precedence.unary)}`, 'boolean', Precedence.unary);
  if (operator === '-' || operator === '+') {
    return expr(`${operator}${operand(value, Precedence.unary)}`, 'number', /^\d/.test(value.code) ? Precedence.atom : Precedence.unary);
  }
  throw cx.refuse(node, `The operator '${operator}' is not supported by kestrun-ts convert.`);
}
