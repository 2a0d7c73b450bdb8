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

interface ScriptParameter {
  readonly name: string;
  readonly entry: string;
}

/** The default's parts: `$env:X ?? literal`, `$env:X`, or a literal. */
function defaultOf(cx: ConvertContext, node: Node | undefined, tsName: string): string[] {
  if (node === undefined) return [];
  const value = parts(node)[0];
  const text = value?.text.trim() ?? '';
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
  const address = /^\[(system\.)?(net\.)?ipaddress\]::(loopback|any|ipv6loopback)$/i.exec(literal)?.[3]?.toLowerCase();
  if (address !== undefined) return [...fields, `default: '${({ loopback: '127.0.0.1', any: '0.0.0.0', ipv6loopback: '::1' } as Record<string, string>)[address]}'`];
  throw cx.refuse(node, `The default value '${literal}' is not supported by kestrun-ts convert (a number, a string, $true/$false, [IPAddress]::Loopback/Any, or $env:NAME ?? one of them).`);
}

function scriptParameter(cx: ConvertContext, node: Node): ScriptParameter {
  const variable = parts(node).find((child) => child.type === 'variable');
  if (variable === undefined) throw cx.refuse(node, 'Incomplete script parameter.');
  const attributes = parts(node).filter((child) => child.type === 'attribute_list').flatMap((list) => parts(list));
  let declared = SCRIPT_TYPES.string;
  for (const attribute of attributes) {
    const type = parts(attribute)[0];
    const known = type?.type === 'type_literal' ? SCRIPT_TYPES[typeName(type)] : undefined;
    if (known === undefined) throw cx.refuse(attribute, `The parameter attribute ${attribute.text} is not supported by kestrun-ts convert (supported: [int], [string], [IPAddress], [switch]).`);
    declared = known;
  }
  const name = variableName(variable);
  const tsName = tsNameFor(name);
  const fields = [`type: '${declared?.type ?? 'string'}'`, ...defaultOf(cx, parts(node).find((child) => child.type === 'script_parameter_default'), tsName)];
  const hasDefault = fields.some((field) => field.startsWith('default:'));
  declareVariable(cx, name, { code: tsName, type: declared?.ts ?? 'string', prec: 20, nullable: !hasDefault });
  return { name: tsName, entry: `${tsName}: { ${fields.join(', ')} }` };
}

/** `param(…)` → `const { … } = scriptParameters({ … })`: each parameter a command-line flag and an environment variable. */
export function convertParamBlock(cx: ConvertContext, node: Node): string[] {
  const list = parts(node).find((child) => child.type === 'parameter_list');
  const parameters = (list === undefined ? [] : parts(list).filter((child) => child.type === 'script_parameter')).map((parameter) => scriptParameter(cx, parameter));
  if (parameters.length === 0) return [];
  cx.kestrunImports.add('scriptParameters');
  const reassigned = parameters.some((parameter) => (cx.scope.assignmentCounts.get(parameter.name.toLowerCase()) ?? 0) > 0);
  return [
    `${reassigned ? 'let' : 'const'} { ${parameters.map((parameter) => parameter.name).join(', ')} } = scriptParameters({`,
    ...parameters.map((parameter) => `  ${parameter.entry},`),
    '});',
  ];
}
