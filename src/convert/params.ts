import { parts } from './context.ts';
import type { ConvertContext } from './context.ts';
import { typeName } from './dotnet.ts';
import type { Node } from './parser.ts';
import { declareVariable, tsNameFor, variableName } from './variables.ts';

const SCRIPT_TYPES: Readonly<Record<string, { readonly type: string; readonly ts: 'number' | 'string' | 'boolean' }>> = {
  int: { type: 'int', ts: 'number' },
  int32: { type: 'int', ts: 'number' },
  string: { type: 'string', ts: 'string' },
  ipaddress: { type: 'ipAddress', ts: 'string' },
  'net.ipaddress': { type: 'ipAddress', ts: 'string' },
  switch: { type: 'switch', ts: 'boolean' },
};

const ADDRESSES: Readonly<Record<string, string>> = { loopback: '127.0.0.1', any: '0.0.0.0', ipv6loopback: '::1' };

/** A parameter as declared: its variable, its attributes (types) and its default. */
interface Declared {
  readonly variable: Node;
  readonly attributes: readonly Node[];
  readonly defaultValue: Node | undefined;
  /** The default's text, when only part of defaultValue is the default (see declaredParameters). */
  readonly defaultText?: string;
}

/** The default's fields: from `$env:X ?? literal`, `$env:X`, or a literal. */
function defaultFields(cx: ConvertContext, declared: Declared, tsName: string): string[] {
  const node = declared.defaultValue;
  if (node === undefined) return [];
  const text = (declared.defaultText ?? node.text).trim();
  const coalesce = /^\$env:(\w+)\s*\?\?\s*([\s\S]+)$/i.exec(text);
  const envOnly = /^\$env:(\w+)$/i.exec(text);
  const envName = coalesce?.[1] ?? envOnly?.[1];
  const literal = coalesce?.[2] ?? (envOnly === null ? text : undefined);
  const fields: string[] = [];
  const conventional = tsName.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
  if (envName !== undefined && envName.toUpperCase() !== conventional) fields.push(`env: '${envName}'`);
  if (literal === undefined) return fields;
  if (/^\d+$/.test(literal)) return [...fields, `default: ${literal}`];
  if (/^'[^']*'$/.test(literal) || /^"[^"$`]*"$/.test(literal)) return [...fields, `default: '${literal.slice(1, -1)}'`];
  if (/^\$(true|false)$/i.test(literal)) return [...fields, `default: ${literal.slice(1).toLowerCase()}`];
  const address = ADDRESSES[/^\[(system\.)?(net\.)?ipaddress\]::(\w+)$/i.exec(literal)?.[3]?.toLowerCase() ?? ''];
  if (address !== undefined) return [...fields, `default: '${address}'`];
  throw cx.refuse(node, `The default value '${literal}' is not supported by kestrun-ts convert (a number, a string, $true/$false, [IPAddress]::Loopback/Any, or $env:NAME ?? one of them).`);
}

/** `[type][type]$name` as an expression: the casts are its attributes. */
function fromCast(node: Node): Declared | undefined {
  const attributes: Node[] = [];
  let current: Node | undefined = node;
  while (current !== undefined && current.type !== 'variable') {
    if (current.type === 'cast_expression') attributes.push(...parts(current).filter((child) => child.type === 'type_literal'));
    else if (!['unary_expression', 'expression_with_unary_operator'].includes(current.type)) return undefined;
    current = parts(current).at(-1);
  }
  return current === undefined ? undefined : { variable: current, attributes, defaultValue: undefined };
}

/**
 * tree-sitter-pwsh reads `$X = 'a',` followed by a parameter without a default as one array default, swallowing the
 * parameters after it; PowerShell ends a default at the comma, so the array's other items are those parameters.
 */
function declaredParameters(node: Node): Declared[] {
  const variable = parts(node).find((child) => child.type === 'variable') as Node;
  const attributes = parts(node).filter((child) => child.type === 'attribute_list').flatMap((list) => parts(list)).map((a) => parts(a)[0] ?? a);
  const value = parts(parts(node).find((child) => child.type === 'script_parameter_default') ?? node).at(0);
  if (value === undefined || value === variable) return [{ variable, attributes, defaultValue: undefined }];
  const coalesce = value.type === 'null_coalesce_expression' ? value : undefined;
  const right = coalesce === undefined ? value : parts(coalesce).at(-1);
  const list = right?.type === 'array_literal_expression' ? right : undefined;
  const swallowed = list === undefined ? [] : parts(list).slice(1).map(fromCast);
  if (list !== undefined && swallowed.every((item) => item !== undefined)) {
    const first = parts(list)[0] as Node;
    const defaultText = value.text.slice(0, first.endIndex - value.startIndex);
    return [{ variable, attributes, defaultValue: value, defaultText }, ...(swallowed as Declared[])];
  }
  return [{ variable, attributes, defaultValue: value }];
}

function scriptParameter(cx: ConvertContext, declared: Declared): { name: string; entry: string } {
  let type = SCRIPT_TYPES.string as { readonly type: string; readonly ts: 'number' | 'string' | 'boolean' };
  for (const attribute of declared.attributes) {
    const known = attribute.type === 'type_literal' ? SCRIPT_TYPES[typeName(attribute)] : undefined;
    if (known === undefined) throw cx.refuse(attribute, `The parameter attribute ${attribute.text} is not supported by kestrun-ts convert (supported: [int], [string], [IPAddress], [switch]).`);
    type = known;
  }
  const name = variableName(declared.variable);
  const tsName = tsNameFor(name);
  const fields = [`type: '${type.type}'`, ...defaultFields(cx, declared, tsName)];
  const hasDefault = fields.some((field) => field.startsWith('default:')) || type.type === 'switch';
  declareVariable(cx, name, { code: tsName, type: type.ts, prec: 20, nullable: !hasDefault });
  return { name: tsName, entry: `${tsName}: { ${fields.join(', ')}${type.type === 'switch' && !fields.some((f) => f.startsWith('default:')) ? ', default: false' : ''} }` };
}

/** `param(…)` → `const { … } = scriptParameters({ … })`: each parameter a command-line flag and an environment variable. */
export function convertParamBlock(cx: ConvertContext, node: Node): string[] {
  const list = parts(node).find((child) => child.type === 'parameter_list');
  const declared = (list === undefined ? [] : parts(list).filter((child) => child.type === 'script_parameter')).flatMap(declaredParameters);
  const parameters = declared.map((parameter) => scriptParameter(cx, parameter));
  if (parameters.length === 0) return [];
  cx.kestrunImports.add('scriptParameters');
  const reassigned = declared.some((parameter) => (cx.scope.assignmentCounts.get(variableName(parameter.variable).toLowerCase()) ?? 0) > 0);
  return [
    `${reassigned ? 'let' : 'const'} { ${parameters.map((parameter) => parameter.name).join(', ')} } = scriptParameters({`,
    ...parameters.map((parameter) => `  ${parameter.entry},`),
    '});',
  ];
}
