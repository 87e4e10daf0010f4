import type { DetachedDomFigures, ClassStats, ClassSummary } from '../snapshot/index.js';
import { paint } from '../util/color.js';
import { formatBytes } from '../util/units.js';
import { classTable, clip } from './class-table.js';

/**
 * A class's name as DevTools shows it; the constructor location (1-based) is added only when another
 * row has the same name, since that is the one case where the name alone cannot tell them apart.
 */
export function classLabel(c: Pick<ClassStats, 'name' | 'location'>, sharedNames?: ReadonlySet<string>): string {
  if (!c.location || (sharedNames && !sharedNames.has(c.name))) return c.name;
  return `${c.name} (script ${c.location.scriptId} line ${c.location.line}:${c.location.column})`;
}

/** Names that more than one row carries. */
export function sharedClassNames(rows: ReadonlyArray<{ name: string }>): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.name)) shared.add(r.name);
    seen.add(r.name);
  }
  return shared;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '';
}

/** `memprof inspect` as text: totals, then the top classes by retained size. */
export function formatInspectText(file: string, summary: ClassSummary, top: number, color = false): string {
  const lines: string[] = [];
  lines.push(paint('bold', `Heap snapshot ${file}`, color));
  lines.push(
    `  ${summary.nodeCount.toLocaleString('en-US')} objects, ${summary.edgeCount.toLocaleString('en-US')} references, ` +
      `total ${formatBytes(summary.totalSize)}, ${summary.classes.length.toLocaleString('en-US')} classes`,
  );
  if (summary.detached) lines.push(`  ${detachedLine(summary.detached)}`);
  lines.push('');
  const shown = summary.classes.slice(0, top);
  const shared = sharedClassNames(summary.classes);
  const rows = shown.map((c) => [
    clip(classLabel(c, shared)),
    c.count.toLocaleString('en-US'),
    formatBytes(c.selfSize),
    formatBytes(c.retainedSize),
    percent(c.retainedSize, summary.totalSize),
  ]);
  lines.push(classTable(['Class', 'Count', 'Self size', 'Retained size', '% of total'], rows, ['left', 'right', 'right', 'right', 'right'], color));
  if (summary.classes.length > shown.length) {
    lines.push(`  ... ${summary.classes.length - shown.length} more classes (--top N to show more, --json for all)`);
  }
  lines.push('');
  lines.push('  Self size counts arrays and hidden internals owned by one object in that object; retained size is');
  lines.push('  what freeing every instance would free (instances inside other instances counted once), as in Chrome DevTools.');
  return lines.join('\n') + '\n';
}

/** A page's detached DOM in one line, with DevTools' filter named so the reader can find the same objects there. */
export function detachedLine(d: DetachedDomFigures): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return (
    `detached DOM: ${n(d.nodes)} node${d.nodes === 1 ? '' : 's'} (${formatBytes(d.nodesSize)}); ` +
    `${n(d.retainedCount)} objects retained by detached DOM nodes (${formatBytes(d.retainedSize)}, DevTools' filter of that name)`
  );
}
