import { Diagnostics } from './diagnostics.ts';
import type { Node } from './parser.ts';

/** What the converter knows of a value's type: enough to pick PowerShell's member and operator semantics. */
export type StaticType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' | 'uri' | 'redisOptions' | 'unknown';

/** Operator precedence of emitted TypeScript, to parenthesise only where needed. */
export const Precedence = {
  arrow: 1,
  conditional: 2,
  coalesce: 3,
  or: 4,
  and: 5,
  equality: 9,
  relational: 10,
  additive: 12,
  multiplicative: 13,
  unary: 15,
  postfix: 19,
  atom: 20,
} as const;

/** A converted expression: its TypeScript text, its precedence and what is known of its value. */
export interface Expr {
  readonly code: string;
  readonly prec: number;
  readonly type: StaticType;
  /** The value may be $null (an unset session key, a missing query parameter). */
  readonly nullable: boolean;
  /** The type a variable holding it is declared with, where inference would not allow PowerShell's later property sets. */
  readonly annotation?: string;
}

export function expr(code: string, type: StaticType, prec: number = Precedence.atom, nullable = false): Expr {
  return { code, type, prec, nullable };
}

/** The expression's code, parenthesised when its precedence is below what its place needs. */
export function operand(value: Expr, minimum: number): string {
  return value.prec < minimum ? `(${value.code})` : value.code;
}

export interface Variable {
  readonly tsName: string;
  type: StaticType;
  nullable: boolean;
  declared: boolean;
  /** Assignments in its scope: one makes a `const`. */
  readonly assignments: number;
}

/** A PowerShell scope: the script, or a script block that becomes an arrow function. */
export class Scope {
  readonly variables = new Map<string, Variable>();
  usesAwait = false;
  usesContext = false;

  constructor(
    readonly parent: Scope | undefined,
    /** Lower-cased variable name → number of assignments, counted before converting the scope. */
    readonly assignmentCounts: ReadonlyMap<string, number>,
  ) {}

  lookup(name: string): Variable | undefined {
    return this.variables.get(name.toLowerCase()) ?? this.parent?.lookup(name);
  }

  get isScript(): boolean {
    return this.parent === undefined;
  }
}

/** The converters of each construct family, reached through the context so that the families need not import each other. */
export interface Converters {
  /** Any expression node (unary_expression, string_literal, variable …). */
  expression(node: Node): Expr;
  /** A pipeline or pipeline_chain used as a value: an expression, a cmdlet call or a pipe into one. */
  value(node: Node): Expr;
  /** A statement list (or the nodes of one) as lines of TypeScript. */
  statements(nodes: readonly Node[]): string[];
  /** A script block as an arrow function. */
  scriptBlock(node: Node): Expr;
  /** An if statement used as a value. */
  ifExpression(node: Node): Expr;
}

/** Everything one conversion shares: the source, the refusals, the imports it needs and the current scope. */
export class ConvertContext {
  readonly diagnostics = new Diagnostics();
  readonly kestrunImports = new Set<string>();
  readonly kestrunTypeImports = new Set<string>();
  readonly nodeImports = new Map<string, Set<string>>();
  scope: Scope;
  /** Depth of if blocks in the current scope: a variable first set inside one would be block-scoped in TypeScript. */
  blockDepth = 0;

  readonly convert: Converters;

  constructor(
    readonly source: string,
    scriptAssignments: ReadonlyMap<string, number>,
    converters: (cx: ConvertContext) => Converters,
  ) {
    this.scope = new Scope(undefined, scriptAssignments);
    this.convert = converters(this);
  }

  refuse(node: Node, reason: string): Error {
    return this.diagnostics.refuse(node, reason);
  }

  importNode(module: string, name: string): void {
    const names = this.nodeImports.get(module) ?? new Set<string>();
    names.add(name);
    this.nodeImports.set(module, names);
  }

  /** Runs `body` in a new scope for a script block, and returns the scope to see what the block used. */
  inScope<T>(assignments: ReadonlyMap<string, number>, body: () => T): { result: T; scope: Scope } {
    const outer = this.scope;
    const outerDepth = this.blockDepth;
    const scope = new Scope(outer, assignments);
    this.scope = scope;
    this.blockDepth = 0;
    try {
      return { result: body(), scope };
    } finally {
      this.scope = outer;
      this.blockDepth = outerDepth;
    }
  }
}

/** The named children that carry meaning: argument separators and line continuations are layout. */
export function parts(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'command_argument_sep');
}

/** PowerShell names to camelCase: `IPAddress` → `ipAddress`, `UpstashUrl` → `upstashUrl`, `IOTimeout` → `ioTimeout`. */
export function camelCase(name: string): string {
  const match = /^[A-Z]+(?=[A-Z][a-z]|\d|$)|^[A-Z]/.exec(name);
  if (match === null) return name;
  return match[0].toLowerCase() + name.slice(match[0].length);
}
