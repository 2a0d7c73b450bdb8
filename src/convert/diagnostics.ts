import type { Node } from './parser.ts';

/** One construct the converter refuses: where it is, its source text and why. */
export interface ConversionDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  readonly reason: string;
}

/** Thrown inside a converter to abandon one statement; the statement's diagnostic is already recorded. */
export class ConstructRefused extends Error {}

/** Collects every refusal of a file so that all of them are listed at once. */
export class Diagnostics {
  readonly list: ConversionDiagnostic[] = [];

  /** Records the refusal and returns an exception that stops converting the enclosing statement. */
  refuse(node: Node, reason: string): ConstructRefused {
    this.list.push({
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      text: firstLine(node.text),
      reason,
    });
    return new ConstructRefused(reason);
  }
}

function firstLine(text: string): string {
  const [line = ''] = text.split(/\r?\n/, 1);
  return line.length < text.length ? `${line} …` : line;
}

/** `file:line:column: why`, then the source text indented, for each refusal in source order. */
export function formatDiagnostics(file: string, diagnostics: readonly ConversionDiagnostic[]): string {
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const lines = sorted.map((d) => `${file}:${d.line}:${d.column}: ${d.reason}\n    ${d.text}`);
  const count = sorted.length === 1 ? '1 construct' : `${sorted.length} constructs`;
  return `${lines.join('\n')}\n${file}: ${count} cannot be converted; no TypeScript was written.\n`;
}

/** Thrown by convertPowerShell when a file has refusals. */
export class ConversionError extends Error {
  constructor(
    readonly file: string,
    readonly diagnostics: readonly ConversionDiagnostic[],
  ) {
    super(formatDiagnostics(file, diagnostics));
    this.name = 'ConversionError';
  }
}
