import type { AnyParameter } from '../../src/runtime/binding/parameter.ts';
import type { CmdletDeclaration } from '../../src/runtime/binding/define-cmdlet.ts';
import type { CmdletSource } from './sources.ts';

/** One exported cmdlet: its TypeScript name, its declaration (the binder's own) and what its source says. */
export interface CmdletEntry {
  readonly exportName: string;
  readonly declaration: CmdletDeclaration;
  readonly source: CmdletSource;
}

/** Declaration fields that have a column of their own, or that the binder uses internally only. */
const RENDERED = new Set([
  'mandatory', 'aliases', 'psName', 'sets', 'allowEmptyString', 'typeName', 'accepted', 'range', 'pattern', 'defaultValue', 'description',
  'position', 'fromPipeline', 'isSwitch',
]);
const INTERNAL = new Set(['convert', 'input']);

const code = (text: string): string => `\`${text.replace(/\|/g, '\\|')}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function psNameOf(key: string, parameter: AnyParameter): string {
  return parameter.psName ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function accepts(parameter: AnyParameter): string {
  const parts: string[] = [];
  if (parameter.accepted !== undefined) parts.push(parameter.accepted.map(code).join(', '));
  const { min, max } = parameter.range ?? {};
  if (min !== undefined && max !== undefined) parts.push(`${min} to ${max}`);
  else if (min !== undefined) parts.push(`at least ${min}`);
  else if (max !== undefined) parts.push(`at most ${max}`);
  if (parameter.pattern !== undefined) parts.push(`matches ${code(parameter.pattern)}`);
  if (parameter.mandatory && parameter.allowEmptyString && parameter.typeName === 'System.String') parts.push("'' allowed");
  return parts.join('; ');
}

function renderValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => renderValue(item)).join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Fields a declaration carries beyond the known ones, shown under their own names. */
function extraFields(entry: CmdletEntry): string[] {
  const keys = new Set<string>();
  for (const parameter of Object.values(entry.declaration.parameters)) {
    for (const [key, value] of Object.entries(parameter)) {
      if (!RENDERED.has(key) && !INTERNAL.has(key) && typeof value !== 'function' && value !== undefined) keys.add(key);
    }
  }
  return [...keys].sort();
}

function parameterTable(entry: CmdletEntry): string[] {
  const parameters = Object.entries(entry.declaration.parameters);
  if (parameters.length === 0) return ['None.'];
  const extras = extraFields(entry);
  const described = parameters.some(([, parameter]) => parameter.description !== undefined);
  const heading = ['Parameter', 'PowerShell', 'Type', 'Position', 'Mandatory', 'Default', 'Accepts', 'Pipeline input', 'Aliases', 'Parameter sets', ...extras];
  if (described) heading.push('Description');
  const rows = parameters.map(([key, parameter]) => {
    const fields = parameter as unknown as Record<string, unknown>;
    return [
      code(key),
      code(`-${psNameOf(key, parameter)}`),
      code(parameter.typeName),
      parameter.position === undefined ? 'named' : String(parameter.position),
      parameter.mandatory ? (parameter.sets === undefined ? 'yes' : 'yes, in its sets') : '',
      cell(parameter.defaultValue ?? ''),
      accepts(parameter),
      parameter.fromPipeline ? 'by value' : '',
      parameter.aliases.map(code).join(', '),
      parameter.sets === undefined ? 'all' : parameter.sets.join(', '),
      ...extras.map((extra) => (fields[extra] === undefined ? '' : cell(renderValue(fields[extra])))),
      ...(described ? [cell(parameter.description ?? '')] : []),
    ];
  });
  return [row(heading), row(heading.map(() => '---')), ...rows.map(row)];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function parameterSets(declaration: CmdletDeclaration): string[] {
  if (declaration.parameterSets === undefined) return [];
  const sets = declaration.parameterSets.map((set) => (set === declaration.defaultParameterSet ? `${set} (default)` : set));
  return ['', `Parameter sets: ${sets.join(', ')}. A call binds to the one set its parameters fit.`];
}

/** docs/cmdlets/<Cmdlet>.md for one cmdlet. */
export function renderCmdletPage(entry: CmdletEntry): string {
  const { declaration, source, exportName } = entry;
  const lines = [
    `# ${declaration.name}`,
    '',
    `\`${exportName}()\`, from \`kestrun-ts\`; defined in [${source.file}](../../${source.file}).`,
    '',
    source.doc === '' ? `Kestrun's \`${declaration.name}\`.` : source.doc,
    '',
    '## Parameters',
    '',
    ...parameterTable(entry),
    ...parameterSets(declaration),
  ];
  if (source.example !== undefined) {
    lines.push('', '## Example', '', `From ${source.example.from}:`, '', '```ts', source.example.code, '```');
  }
  return `${lines.join('\n')}\n`;
}

function summary(doc: string): string {
  const text = doc.replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
  const rest = sentence.replace(/^[A-Z][A-Za-z]*-Kr[A-Za-z0-9]*:\s*/, '');
  return cell(rest.charAt(0).toUpperCase() + rest.slice(1));
}

/** docs/cmdlets/README.md: every cmdlet by area, with the first sentence of its JSDoc. */
export function renderIndex(entries: readonly CmdletEntry[]): string {
  const lines = [
    '# Cmdlet reference',
    '',
    'One page per cmdlet kestrun-ts exports, generated from the parameter declarations its binder uses and from the',
    "cmdlets' JSDoc by `npm run docs:cmdlets`; a test fails when a page is out of date. Parameters are passed as one",
    "object, named in camelCase and matched case-insensitively; see the README's `.ps1` ↔ `.ts` rules.",
  ];
  const areas = [...new Set(entries.map((entry) => entry.source.area))].sort();
  for (const area of areas) {
    lines.push('', `## ${area.charAt(0).toUpperCase()}${area.slice(1)}`, '', '| Cmdlet | Function | What it does |', '| --- | --- | --- |');
    for (const entry of entries.filter((candidate) => candidate.source.area === area)) {
      const { name } = entry.declaration;
      lines.push(`| [${name}](${name}.md) | \`${entry.exportName}\` | ${summary(entry.source.doc)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
