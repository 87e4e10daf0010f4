import Table from 'cli-table3';

/**
 * A borderless cli-table3 table (columns padded, numbers right-aligned) shared by the snapshot
 * reporters. Colour only in the header, and only when asked.
 */
export function classTable(head: string[], rows: string[][], align: Array<'left' | 'right'>, color: boolean): string {
  const table = new Table({
    head,
    colAligns: align,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '  ', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: color ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Shortens a class name for a table cell (plain-object shapes can be ~120 characters). */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
