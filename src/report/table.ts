/** A plain-text table: columns padded to their widest cell, numbers right-aligned ('r'). */
export function textTable(head: string[], rows: string[][], align: Array<'l' | 'r'> = [], indent = '  '): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
