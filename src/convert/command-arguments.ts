import type { CatalogCmdlet, CatalogParameter } from './cmdlet-catalog.ts';
import { parts } from './context.ts';
import type { ConvertContext } from './context.ts';
import type { Node } from './parser.ts';

/** What a .ps1 call passed, in PowerShell's binding order: named first, then positional, then the pipeline. */
export interface BoundArgument {
  readonly parameter: CatalogParameter;
  /** The value's node; undefined for a switch given without a value (true). */
  readonly value: Node | undefined;
  /** The node that named it, or the value for a positional argument. */
  readonly at: Node;
  /** A comment that followed it on the same line, kept beside the converted property. */
  trailingComment?: Node;
}

/** `-Name`, `-Name:`, or a unique prefix of a name or alias, as PowerShell matches them. */
function resolveName(cx: ConvertContext, cmdlet: CatalogCmdlet, token: Node, name: string): CatalogParameter | undefined {
  const lower = name.toLowerCase();
  const names = (parameter: CatalogParameter): string[] => [parameter.psName, parameter.key, ...parameter.declaration.aliases].map((n) => n.toLowerCase());
  const exact = cmdlet.parameters.find((parameter) => names(parameter).includes(lower));
  if (exact !== undefined) return exact;
  const matches = cmdlet.parameters.filter((parameter) => names(parameter).some((candidate) => candidate.startsWith(lower)));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    cx.refuse(token, `Parameter cannot be processed because the parameter name '${name}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m.psName}`).join(' ')}.`);
    return undefined;
  }
  cx.refuse(token, `A parameter cannot be found that matches parameter name '${name}'.`);
  return undefined;
}

function isScriptBlock(node: Node): boolean {
  return node.type === 'unary_expression' && parts(node)[0]?.type === 'script_block_expression';
}

interface Scan {
  readonly bound: BoundArgument[];
  readonly positional: Node[];
  failed: boolean;
}

function bindNamed(cx: ConvertContext, cmdlet: CatalogCmdlet, elements: readonly Node[]): Scan {
  const scan: Scan = { bound: [], positional: [], failed: false };
  for (let index = 0; index < elements.length; index++) {
    const element = elements[index] as Node;
    if (element.type === 'comment') {
      const last = scan.bound.at(-1);
      if (last !== undefined && last.trailingComment === undefined) last.trailingComment = element;
      continue;
    }
    if (element.type !== 'command_parameter') {
      scan.positional.push(element);
      continue;
    }
    // `-Name:value`: the grammar puts the colon in the separator after the name.
    const colon = element.text.endsWith(':') || element.nextSibling?.text.startsWith(':') === true;
    const name = element.text.replace(/^-/, '').replace(/:$/, '');
    const parameter = resolveName(cx, cmdlet, element, name);
    if (parameter === undefined) {
      scan.failed = true;
      // Its value goes with it, rather than being reported again as a stray positional argument.
      const next = elements[index + 1];
      if (next !== undefined && next.type !== 'command_parameter' && next.type !== 'comment' && next.type !== 'script_block_expression' && !isScriptBlock(next)) index++;
      continue;
    }
    if (scan.bound.some((argument) => argument.parameter === parameter)) {
      cx.refuse(element, `Cannot bind parameter because parameter '${parameter.psName}' is specified more than once.`);
      scan.failed = true;
      continue;
    }
    const next = elements[index + 1];
    if (parameter.declaration.isSwitch && !colon) {
      scan.bound.push({ parameter, value: undefined, at: element });
      continue;
    }
    if (next === undefined || next.type === 'command_parameter' || next.type === 'comment') {
      cx.refuse(element, `Missing an argument for parameter '${parameter.psName}'. Specify a parameter of the required type and try again.`);
      scan.failed = true;
      continue;
    }
    scan.bound.push({ parameter, value: next, at: element });
    index++;
  }
  return scan;
}

/**
 * Binds a command's elements (and a piped value) to the cmdlet's declared parameters, recording each failure in
 * PowerShell's wording; returns undefined when any failed.
 */
export function bindArguments(cx: ConvertContext, cmdlet: CatalogCmdlet, command: Node, piped: boolean): BoundArgument[] | undefined {
  const elementsNode = parts(command).find((child) => child.type === 'command_elements');
  const scan = bindNamed(cx, cmdlet, elementsNode === undefined ? [] : parts(elementsNode));
  const free = cmdlet.parameters
    .filter((parameter) => parameter.declaration.position !== undefined && !scan.bound.some((argument) => argument.parameter === parameter))
    .sort((a, b) => (a.declaration.position ?? 0) - (b.declaration.position ?? 0));
  for (const value of scan.positional) {
    const parameter = free.shift();
    if (parameter === undefined) {
      cx.refuse(value, `A positional parameter cannot be found that accepts argument '${value.text}'.`);
      scan.failed = true;
      continue;
    }
    scan.bound.push({ parameter, value, at: value });
  }
  if (piped) {
    const target = cmdlet.parameters.find((parameter) => parameter.declaration.fromPipeline && !scan.bound.some((argument) => argument.parameter === parameter));
    if (target === undefined) {
      cx.refuse(command, `The input object cannot be bound to any parameters of ${cmdlet.psName}: it takes no pipeline input.`);
      return undefined;
    }
  }
  const missing = cmdlet.parameters.filter(
    (parameter) =>
      parameter.declaration.mandatory &&
      parameter.declaration.sets === undefined &&
      !(piped && parameter.declaration.fromPipeline) &&
      !scan.bound.some((argument) => argument.parameter === parameter),
  );
  if (missing.length > 0) {
    cx.refuse(command, `Cannot process command because of one or more missing mandatory parameters: ${missing.map((p) => p.psName).join(' ')}.`);
    return undefined;
  }
  return scan.failed ? undefined : scan.bound;
}

/** The parameter a piped value binds to. */
export function pipelineParameter(cmdlet: CatalogCmdlet): CatalogParameter | undefined {
  return cmdlet.parameters.find((parameter) => parameter.declaration.fromPipeline);
}
