import { renderTable } from './table.js';

/** The snapshot reporters' class table (see renderTable). */
export function classTable(head: string[], rows: string[][], align: Array<'left' | 'right'>, color: boolean): string {
  return renderTable(head, rows, { align, color }).join('\n');
}

/** Shortens a class name for a table cell (plain-object shapes can be ~120 characters). */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
