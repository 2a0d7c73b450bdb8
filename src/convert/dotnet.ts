import { camelCase, expr, operand, parts, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import type { Node } from './parser.ts';

/** The .NET type a type literal names, lower-cased and without a leading `System.`. */
export function typeName(node: Node): string {
  return node.text.replace(/^\[|\]$/g, '').trim().toLowerCase().replace(/^system\./, '');
}

const IP_ADDRESSES: Readonly<Record<string, string>> = { loopback: '127.0.0.1', any: '0.0.0.0', ipv6loopback: '::1', ipv6any: '::' };

/** `[T]::Member`: the static properties Kestrun scripts read. */
export function staticMember(cx: ConvertContext, node: Node, type: string, member: string): Expr {
  const address = type === 'ipaddress' || type === 'net.ipaddress' ? IP_ADDRESSES[member.toLowerCase()] : undefined;
  if (address !== undefined) return expr(`'${address}'`, 'string');
  throw cx.refuse(node, `The static member [${type}]::${member} is not supported by kestrun-ts convert.`);
}

/** `[T]::Method(args)`: [string]'s null tests and the constructors of 19.2's Uri and ConfigurationOptions. */
export function staticCall(cx: ConvertContext, node: Node, type: string, method: string, args: readonly Expr[]): Expr {
  const name = method.toLowerCase();
  const [first] = args;
  if (type === 'string' && (name === 'isnullorwhitespace' || name === 'isnullorempty') && args.length === 1 && first !== undefined) {
    const access = first.nullable || first.type !== 'string' ? '?.' : '.';
    const test = name === 'isnullorempty' ? operand(first, Precedence.unary) : `${operand(first, Precedence.postfix)}${access}trim()`;
    return expr(`!${test}`, 'boolean', Precedence.unary);
  }
  if (name === 'new' && type === 'uri' && args.length === 1 && first !== undefined) {
    return expr(`new URL(${first.code})`, 'uri', Precedence.postfix);
  }
  if (name === 'new' && type === 'stackexchange.redis.configurationoptions' && args.length === 0) {
    // Property sets follow, as in .NET; Add-KrDistributedRedisCache checks the names and values (null means unset).
    return { ...expr('{ endPoints: [] }', 'redisOptions'), annotation: 'Record<string, unknown> & { endPoints: string[] }' };
  }
  throw cx.refuse(node, `The static method [${type}]::${method}() is not supported by kestrun-ts convert.`);
}

/** A cmdlet's result (a query parameter, a session string) is taken for a string that may be $null; tsc checks it. */
function asString(value: Expr): Expr {
  return value.type === 'unknown' ? { ...value, type: 'string', nullable: true } : value;
}

const URI_MEMBERS: Readonly<Record<string, (uri: string) => string>> = {
  host: (uri) => `${uri}.hostname`,
  port: (uri) => `${uri}.port`,
  scheme: (uri) => `${uri}.protocol.slice(0, -1)`,
  absoluteuri: (uri) => `${uri}.href`,
  userinfo: (uri) => `\`\${${uri}.username}\${${uri}.password ? \`:\${${uri}.password}\` : ''}\``,
};

/** `$x.Member`, by what the converter knows `$x` to be. */
export function instanceMember(cx: ConvertContext, node: Node, value: Expr, member: string): Expr {
  const target = member.toLowerCase() === 'length' ? asString(value) : value;
  const name = member.toLowerCase();
  const base = operand(target, Precedence.postfix);
  if ((target.type === 'string' || target.type === 'array') && (name === 'length' || (name === 'count' && target.type === 'array'))) {
    return target.nullable ? expr(`(${base}?.length ?? 0)`, 'number') : expr(`${base}.length`, 'number', Precedence.postfix);
  }
  const uriMember = target.type === 'uri' ? URI_MEMBERS[name] : undefined;
  if (uriMember !== undefined) return expr(uriMember(base), 'string', Precedence.postfix);
  if (target.type === 'redisOptions') return expr(`${base}.${camelCase(member)}`, name === 'endpoints' ? 'array' : 'unknown', Precedence.postfix);
  if (target.type === 'object' && /^[A-Za-z_]\w*$/.test(member)) {
    return expr(`${base}${target.nullable ? '?.' : '.'}${member}`, 'unknown', Precedence.postfix, true);
  }
  throw cx.refuse(node, `The member '${member}' of ${describe(target)} is not supported by kestrun-ts convert.`);
}

const STRING_METHODS: Readonly<Record<string, { readonly ts: string; readonly args: number; readonly type: 'string' | 'array' }>> = {
  trim: { ts: 'trim', args: 0, type: 'string' },
  tolower: { ts: 'toLowerCase', args: 0, type: 'string' },
  toupper: { ts: 'toUpperCase', args: 0, type: 'string' },
  split: { ts: 'split', args: 1, type: 'array' },
  tostring: { ts: 'toString', args: 0, type: 'string' },
};

/** `$x.Method(args)`: the string methods Kestrun scripts use, and ConfigurationOptions' `.EndPoints.Add()`. */
export function instanceCall(cx: ConvertContext, node: Node, value: Expr, method: string, args: readonly Expr[]): Expr {
  const target = STRING_METHODS[method.toLowerCase()] === undefined ? value : asString(value);
  const name = method.toLowerCase();
  const base = operand(target, Precedence.postfix);
  const stringMethod = STRING_METHODS[name];
  if (target.type === 'string' && stringMethod !== undefined && stringMethod.args === args.length) {
    const access = target.nullable ? '?.' : '.';
    return expr(`${base}${access}${stringMethod.ts}(${args.map((arg) => arg.code).join(', ')})`, stringMethod.type, Precedence.postfix, target.nullable);
  }
  if (target.type === 'array' && name === 'add' && args.length === 1 && /\.endPoints$/.test(base)) {
    return expr(`${base}.push(${args[0]?.code ?? ''})`, 'number', Precedence.postfix);
  }
  throw cx.refuse(node, `The method '${method}()' of ${describe(target)} is not supported by kestrun-ts convert.`);
}

function describe(value: Expr): string {
  switch (value.type) {
    case 'unknown':
      return 'a value whose type kestrun-ts convert cannot tell';
    case 'redisOptions':
      return 'a ConfigurationOptions';
    case 'uri':
      return 'a System.Uri';
    default:
      return `a ${value.type}`;
  }
}

/** Type literal of a cast or a static access, from its node. */
export function typeOf(node: Node): Node | undefined {
  return parts(node).find((child) => child.type === 'type_literal');
}
