export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  return value.toFixed(2);
}

/** Small ratios keep a third digit so that 0.078 and 0.071 stay distinguishable. */
export function formatRatio(value: number): string {
  return value < 0.1 ? value.toFixed(3) : value.toFixed(2);
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
