import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** What the source says of one exported cmdlet: where it lives, its JSDoc, and an example of its use. */
export interface CmdletSource {
  /** The file that defines it, relative to the repository (`src/cmdlets/session/Add-KrSession.ts`). */
  readonly file: string;
  /** Its area: the folder under src/cmdlets/. */
  readonly area: string;
  /** The JSDoc text of its `export const`, without tags. */
  readonly doc: string;
  /** The shortest statement that calls it in scripts/, else its JSDoc `@example`. */
  readonly example: { readonly code: string; readonly from: string } | undefined;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Maps each name src/index.ts re-exports to the module it comes from. */
function exportedModules(root: string): Map<string, string> {
  const modules = new Map<string, string>();
  const index = parse(join(root, 'src', 'index.ts'));
  for (const statement of index.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier === undefined) continue;
    if (statement.exportClause === undefined || !ts.isNamedExports(statement.exportClause)) continue;
    const target = join(root, 'src', (statement.moduleSpecifier as ts.StringLiteral).text);
    for (const element of statement.exportClause.elements) modules.set(element.name.text, target);
  }
  return modules;
}

function exportedConstant(source: ts.SourceFile, name: string): ts.VariableStatement | undefined {
  return source.statements.find(
    (statement): statement is ts.VariableStatement =>
      ts.isVariableStatement(statement) &&
      statement.declarationList.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name),
  );
}

function jsDocOf(node: ts.Node): { doc: string; example: string | undefined } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  if (last === undefined) return { doc: '', example: undefined };
  const doc = ts.getTextOfJSDocComment(last.comment) ?? '';
  const exampleTag = last.tags?.find((tag) => tag.tagName.text === 'example');
  const example = exampleTag === undefined ? undefined : ts.getTextOfJSDocComment(exampleTag.comment)?.trim();
  return { doc: doc.trim(), example };
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** A statement's text, its later lines moved left by the indentation of its first. */
function statementText(source: ts.SourceFile, statement: ts.Statement): string {
  const column = source.getLineAndCharacterOfPosition(statement.getStart(source)).character;
  const [first = '', ...rest] = statement.getText(source).split('\n');
  const indent = ' '.repeat(column);
  return [first, ...rest.map((line) => (line.startsWith(indent) ? line.slice(column) : line.trimStart()))].join('\n');
}

/** The innermost statement around every call of each cmdlet in one script, keyed by the cmdlet's name. */
function callsIn(source: ts.SourceFile, into: Map<string, string[]>): void {
  const visit = (node: ts.Node, statement: ts.Statement | undefined): void => {
    const current = ts.isExpressionStatement(node) || ts.isVariableStatement(node) ? node : statement;
    if (ts.isCallExpression(node) && current !== undefined) {
      const name = calledName(node);
      if (name !== undefined) into.set(name, [...(into.get(name) ?? []), statementText(source, current)]);
    }
    ts.forEachChild(node, (child) => visit(child, current));
  };
  visit(source, undefined);
}

/** Every call of a cmdlet in the tutorial scripts, shortest first, with the script it comes from. */
function scriptExamples(root: string): Map<string, { code: string; from: string }> {
  const examples = new Map<string, { code: string; from: string }>();
  const directory = join(root, 'scripts');
  for (const name of readdirSync(directory).filter((file) => file.endsWith('.ts')).sort()) {
    const calls = new Map<string, string[]>();
    callsIn(parse(join(directory, name)), calls);
    for (const [cmdlet, statements] of calls) {
      for (const code of statements) {
        const known = examples.get(cmdlet);
        if (known === undefined || code.length < known.code.length) examples.set(cmdlet, { code, from: `scripts/${name}` });
      }
    }
  }
  return examples;
}

/** The `export const` of `name`, in `file` or in the module that `file` re-exports it from. */
function definition(file: string, name: string): { file: string; statement: ts.VariableStatement | undefined } {
  const source = parse(file);
  const statement = exportedConstant(source, name);
  if (statement !== undefined) return { file, statement };
  for (const node of source.statements) {
    if (!ts.isExportDeclaration(node) || node.moduleSpecifier === undefined || !ts.isStringLiteral(node.moduleSpecifier)) continue;
    const clause = node.exportClause;
    if (clause !== undefined && ts.isNamedExports(clause) && clause.elements.some((element) => element.name.text === name)) {
      return definition(join(dirname(file), node.moduleSpecifier.text), name);
    }
  }
  return { file, statement: undefined };
}

/** Reads the source of every exported cmdlet named in `names`. */
export function readCmdletSources(root: string, names: readonly string[]): Map<string, CmdletSource> {
  const modules = exportedModules(root);
  const examples = scriptExamples(root);
  const sources = new Map<string, CmdletSource>();
  for (const name of names) {
    const file = modules.get(name);
    if (file === undefined) throw new Error(`src/index.ts does not re-export ${name} from a module.`);
    const { file: definingFile, statement } = definition(file, name);
    if (statement === undefined) throw new Error(`${relative(root, definingFile)} has no \`export const ${name}\`.`);
    const { doc, example } = jsDocOf(statement);
    const path = relative(root, definingFile).split('\\').join('/');
    sources.set(name, {
      file: path,
      area: path.split('/')[2] ?? '',
      doc,
      example: examples.get(name) ?? (example === undefined ? undefined : { code: example, from: 'its JSDoc' }),
    });
  }
  return sources;
}
