import { expr, parts } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import type { Node } from './parser.ts';

const BACKTICK_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** PowerShell's escapes in double-quoted text: `n, `t, `", `$ …, and "" for a quote outside here-strings. */
function unescapeExpandable(text: string, hereString: boolean): string {
  const unescaped = text.replace(/`(u\{[0-9a-fA-F]+\}|[\s\S])/g, (_, code: string) =>
    code.startsWith('u{') && code.length > 1 ? String.fromCodePoint(parseInt(code.slice(2, -1), 16)) : (BACKTICK_ESCAPES[code] ?? code),
  );
  return hereString ? unescaped : unescaped.replace(/""/g, '"');
}

/** A TypeScript string literal, single-quoted unless the text holds a single quote and no double quote. */
export function stringLiteral(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value.replace(/[\\\n\r\t\0\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1)).replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

function templateText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
}

/** Drops a here-string's opening and closing lines: the text is what lies between them. */
function hereStringBody(text: string): string {
  return text.replace(/^@["']\r?\n/, '').replace(/\r?\n["']@$/, '');
}

/** The value a piece of a double-quoted string interpolates: PowerShell writes $null as nothing and arrays joined by spaces. */
function interpolated(value: Expr): string {
  if (value.type === 'array') return `\${${value.code}.join(' ')}`;
  if (value.nullable || value.type === 'unknown' || value.type === 'null') return `\${${value.code} ?? ''}`;
  return `\${${value.code}}`;
}

/** A string_literal node: verbatim and expandable strings and here-strings, with `$var` and `$(expr)` interpolated. */
export function convertStringLiteral(cx: ConvertContext, node: Node): Expr {
  const literal = parts(node)[0] ?? node;
  switch (literal.type) {
    case 'verbatim_string_characters':
      return expr(stringLiteral(literal.text.slice(1, -1).replace(/''/g, "'")), 'string');
    case 'verbatim_here_string_characters':
      return expr(stringLiteral(hereStringBody(literal.text)), 'string');
    case 'expandable_string_literal':
    case 'expandable_here_string_literal':
      return expandable(cx, literal, literal.type === 'expandable_here_string_literal');
    default:
      throw cx.refuse(node, `The string form ${literal.type} is not supported by kestrun-ts convert.`);
  }
}

function expandable(cx: ConvertContext, literal: Node, hereString: boolean): Expr {
  const open = hereString ? literal.text.indexOf('\n') + 1 : 1;
  const close = hereString ? literal.text.lastIndexOf('\n') : literal.text.length - 1;
  const start = literal.startIndex + open;
  const end = literal.startIndex + close;
  let cursor = start;
  let template = '';
  let interpolates = false;
  let plain = '';
  for (const piece of parts(literal)) {
    if (piece.type !== 'variable' && piece.type !== 'sub_expression') continue;
    const text = unescapeExpandable(cx.source.slice(cursor, piece.startIndex), hereString);
    template += templateText(text);
    plain += text;
    const value = piece.type === 'variable' ? cx.convert.expression(piece) : subExpression(cx, piece);
    template += interpolated(value);
    interpolates = true;
    cursor = piece.endIndex;
  }
  const rest = unescapeExpandable(cx.source.slice(cursor, Math.max(cursor, end)), hereString).replace(/\r$/, '');
  if (!interpolates) return expr(stringLiteral(plain + rest), 'string');
  return expr(`\`${template}${templateText(rest)}\``, 'string');
}

/** `$(expr)`: one statement whose value is interpolated. */
export function subExpression(cx: ConvertContext, node: Node): Expr {
  const statements = parts(parts(node)[0] ?? node).filter((child) => child.type !== 'empty_statement');
  const only = statements[0];
  if (statements.length !== 1 || only === undefined || only.type !== 'pipeline') {
    throw cx.refuse(node, 'A $( ) subexpression holding anything but one expression is not supported by kestrun-ts convert.');
  }
  return cx.convert.value(only);
}
