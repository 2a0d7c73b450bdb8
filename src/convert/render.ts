/** One property of an emitted object literal, with the comments the .ps1 had around it. */
export interface Property {
  readonly key: string;
  readonly value: string;
  readonly leadingComments: readonly string[];
  readonly trailingComment?: string;
}

const MAX_INLINE = 100;

/** Indents every line after the first: a multi-line value placed after text on its first line. */
export function indentTail(text: string, by = '  '): string {
  return text.replace(/\n(?=.)/g, `\n${by}`);
}

export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function property(entry: Property): string {
  return entry.key === entry.value ? entry.key : `${entry.key}: ${entry.value}`;
}

/** An object literal: on one line when it is short and has no comments, else one property a line. */
export function renderObject(entries: readonly Property[], multiline: boolean, prefixLength = 0): string {
  if (entries.length === 0) return '{}';
  const commented = entries.some((entry) => entry.leadingComments.length > 0 || entry.trailingComment !== undefined);
  const inline = `{ ${entries.map(property).join(', ')} }`;
  if (!multiline && !commented && !inline.includes('\n') && prefixLength + inline.length <= MAX_INLINE) return inline;
  const lines = entries.flatMap((entry) => [
    ...entry.leadingComments.map((comment) => `  ${comment}`),
    `  ${indentTail(property(entry))},${entry.trailingComment === undefined ? '' : ` ${entry.trailingComment}`}`,
  ]);
  return `{\n${lines.join('\n')}\n}`;
}

/** `# text` as `// text`, `<# … #>` as a block comment. */
export function convertComment(text: string): string {
  if (text.startsWith('<#')) {
    const body = text.slice(2, -2).replace(/\*\//g, '* /');
    return `/*${body}*/`;
  }
  const body = text.replace(/^#/, '');
  return `//${body.startsWith(' ') || body === '' ? body : ` ${body}`}`;
}
