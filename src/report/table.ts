import Table from 'cli-table3';

/**
 * memprof's one table renderer: borderless cli-table3 (columns padded to their widest cell by
 * display width, so CJK and emoji in class names stay aligned), trailing spaces trimmed. Colour
 * only in the header, and only when asked.
 */
export function renderTable(
  head: string[],
  rows: string[][],
  opts: { align?: Array<'left' | 'right'>; indent?: string; gap?: string; color?: boolean } = {},
): string[] {
  const table = new Table({
    head,
    colAligns: opts.align ?? [],
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: opts.indent ?? '  ', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: opts.gap ?? '  ',
    },
    style: { head: opts.color ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd());
}

/** A plain-text table as lines: numbers right-aligned ('r'), three spaces between columns. */
export function textTable(head: string[], rows: string[][], align: Array<'l' | 'r'> = [], indent = '  '): string[] {
  return renderTable(head, rows, { align: head.map((_, i) => (align[i] === 'r' ? 'right' : 'left')), indent, gap: '   ' });
}
