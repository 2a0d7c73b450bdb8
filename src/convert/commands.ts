import { findCmdlet } from './cmdlet-catalog.ts';
import type { CatalogCmdlet } from './cmdlet-catalog.ts';
import { bindArguments, pipelineParameter } from './command-arguments.ts';
import type { BoundArgument } from './command-arguments.ts';
import { expr, parts, Precedence } from './context.ts';
import type { ConvertContext, Expr } from './context.ts';
import { ConstructRefused } from './diagnostics.ts';
import type { Node } from './parser.ts';
import { convertComment, indentTail, renderObject } from './render.ts';
import type { Property } from './render.ts';
import { stringLiteral } from './strings.ts';

/** A pipeline's converted value; `discarded` when it ends in `| Out-Null`, which only a statement may do. */
export interface ChainResult {
  readonly value: Expr;
  readonly discarded: boolean;
  /** It calls a command (a statement of its own), rather than computing a value that PowerShell would output. */
  readonly isCall: boolean;
}

/** A command argument: a bareword is a string, a comma list an array, anything else an expression. */
function argumentValue(cx: ConvertContext, node: Node): Expr {
  if (node.type === 'generic_token') return expr(stringLiteral(node.text), 'string');
  if (node.type === 'array_literal_expression' || node.type === 'bareword_argument_list') {
    return expr(`[${parts(node).map((item) => argumentValue(cx, item).code).join(', ')}]`, 'array');
  }
  if (node.type === 'unary_expression' && parts(node).length === 1) return argumentValue(cx, parts(node)[0] as Node);
  return cx.convert.expression(node);
}

function property(cx: ConvertContext, argument: BoundArgument): Property {
  const value = argument.value === undefined ? 'true' : argumentValue(cx, argument.value).code;
  const comment = argument.trailingComment === undefined ? {} : { trailingComment: convertComment(argument.trailingComment.text) };
  return { key: argument.parameter.key, value, leadingComments: [], ...comment };
}

/** A call that cannot bind still has its arguments converted, so that a script block's own refusals are listed too. */
function reportInnerRefusals(cx: ConvertContext, command: Node): void {
  const elements = parts(command).find((child) => child.type === 'command_elements');
  for (const element of elements === undefined ? [] : parts(elements)) {
    if (element.type === 'command_parameter' || element.type === 'comment') continue;
    try {
      argumentValue(cx, element);
    } catch (error) {
      if (!(error instanceof ConstructRefused)) throw error;
    }
  }
}

/** A kestrun-ts cmdlet call: `name({ key: value })`, awaited when the cmdlet is async, or a method on a piped value. */
function cmdletCall(cx: ConvertContext, cmdlet: CatalogCmdlet, command: Node, piped: Expr | undefined, newLine: boolean): Expr {
  const bound = bindArguments(cx, cmdlet, command, piped !== undefined);
  if (bound === undefined) {
    reportInnerRefusals(cx, command);
    throw new ConstructRefused(`The call to ${cmdlet.psName} cannot be converted.`);
  }
  const properties = bound.map((argument) => property(cx, argument));
  const chained = piped !== undefined && cmdlet.pipelineMethod;
  if (!chained) cx.kestrunImports.add(cmdlet.exportName);
  const target = piped !== undefined && !chained ? pipelineParameter(cmdlet) : undefined;
  if (target !== undefined && piped !== undefined) properties.push({ key: target.key, value: piped.code, leadingComments: [] });
  const head = chained ? `${piped.code}${newLine ? '\n  ' : ''}.${cmdlet.exportName}` : cmdlet.exportName;
  const continued = command.startPosition.row !== command.endPosition.row && properties.length > 1;
  const args = properties.length === 0 ? '' : renderObject(properties, continued, head.length - head.lastIndexOf('\n') + 1);
  const call = `${head}(${chained && newLine ? indentTail(args) : args})`;
  if (!cmdlet.async) return expr(call, 'unknown', Precedence.postfix, true);
  cx.scope.usesAwait = true;
  return expr(`await ${call}`, 'unknown', Precedence.unary, true);
}

const NOT_RECOGNIZED =
  'is not recognized as a name of a cmdlet, function, script file, or executable program. kestrun-ts convert knows the kestrun-ts cmdlets, Write-Host, Write-Error, hostname and | Out-Null.';

/** Write-Host, Write-Error and hostname: the built-ins Kestrun's tutorials use beside the cmdlets. */
function builtin(cx: ConvertContext, name: string, command: Node): Expr | undefined {
  const elementsNode = parts(command).find((child) => child.type === 'command_elements');
  const elements = elementsNode === undefined ? [] : parts(elementsNode).filter((child) => child.type !== 'comment');
  const lower = name.toLowerCase();
  if (lower === 'hostname' && elements.length === 0) {
    cx.importNode('node:os', 'hostname');
    return expr('hostname()', 'string', Precedence.postfix);
  }
  if (lower !== 'write-host' && lower !== 'write-error') return undefined;
  const named = elements.filter((element) => element.type === 'command_parameter');
  const allowed = lower === 'write-host' ? ['-object'] : ['-message'];
  const unsupported = named.find((element) => !allowed.includes(element.text.toLowerCase().replace(/:$/, '')));
  if (unsupported !== undefined) throw cx.refuse(unsupported, `The parameter '${unsupported.text}' of ${name} is not supported by kestrun-ts convert.`);
  const values = elements.filter((element) => element.type !== 'command_parameter').map((element) => argumentValue(cx, element));
  const message = values.length === 1 ? (values[0] as Expr).code : `[${values.map((value) => value.code).join(', ')}].join(' ')`;
  return expr(`${lower === 'write-host' ? 'console.log' : 'console.error'}(${message})`, 'unknown', Precedence.postfix);
}

function command(cx: ConvertContext, node: Node, piped: Expr | undefined, newLine = false): Expr {
  const nameNode = parts(node).find((child) => child.type === 'command_name');
  const name = nameNode?.text ?? '';
  if (nameNode === undefined || !/^[A-Za-z][\w-]*$/.test(name)) {
    const invokes = /^[&.]\s|[\\/]/.test(node.text);
    throw cx.refuse(node, invokes ? `Invoking '${node.text}' (a path, & or dot-sourcing) is not supported by kestrun-ts convert.` : `The command '${name || node.text}' is not supported by kestrun-ts convert.`);
  }
  const cmdlet = findCmdlet(name);
  if (cmdlet !== undefined) return cmdletCall(cx, cmdlet, node, piped, newLine);
  const value = piped === undefined ? builtin(cx, name, node) : undefined;
  if (value !== undefined) return value;
  throw cx.refuse(nameNode, `The term '${name}' ${NOT_RECOGNIZED}`);
}

function isOutNull(node: Node): boolean {
  const name = parts(node).find((child) => child.type === 'command_name')?.text.toLowerCase();
  return node.type === 'command' && name === 'out-null' && parts(node).length === 1;
}

/** A pipeline_chain: an expression or a command, then each `| command` fed what came before. */
export function convertChain(cx: ConvertContext, chain: Node): ChainResult {
  const elements = parts(chain).filter((child) => child.type !== 'comment');
  const [first, ...rest] = elements;
  if (first === undefined) throw cx.refuse(chain, 'An empty pipeline cannot be converted.');
  let value = first.type === 'command' ? command(cx, first, undefined) : cx.convert.expression(first);
  let isCall = first.type === 'command';
  for (const [index, element] of rest.entries()) {
    if (isOutNull(element) && index === rest.length - 1) return { value, discarded: true, isCall: true };
    if (element.type !== 'command') throw cx.refuse(element, 'Only a command can follow | in a pipeline.');
    value = command(cx, element, value, element.startPosition.row > first.startPosition.row);
    isCall = true;
  }
  return { value, discarded: false, isCall };
}
