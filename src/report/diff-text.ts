import type { SnapshotDiff } from '../snapshot/index.js';
import { paint } from '../util/color.js';
import { formatBytes } from '../util/units.js';
import { classTable, clip } from './class-table.js';
import { classLabel, detachedLine, sharedClassNames } from './inspect-text.js';

function signed(n: number): string {
  return n > 0 ? `+${n.toLocaleString('en-US')}` : n.toLocaleString('en-US');
}

function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

/** `memprof diff` as text: the classes that grew most (by shallow size) first. */
export function formatDiffText(before: string, after: string, diff: SnapshotDiff, top: number, color = false): string {
  const lines: string[] = [];
  lines.push(paint('bold', `Heap snapshot diff ${before} -> ${after}`, color));
  if (!diff.sameProcess) {
    lines.push(paint('yellow', '  warning: the snapshots look like different processes (their object ids name different objects); "new" objects and deltas are not meaningful', color));
  }
  const grown = diff.classes.reduce((s, c) => s + c.sizeDelta, 0);
  const created = diff.classes.reduce((s, c) => s + c.newCount, 0);
  lines.push(`  ${diff.classes.length.toLocaleString('en-US')} classes changed, shallow size ${signedBytes(grown)}, ${created.toLocaleString('en-US')} objects new in AFTER`);
  if (diff.detached) lines.push(`  BEFORE ${detachedLine(diff.detached.before)}`, `  AFTER  ${detachedLine(diff.detached.after)}`);
  if (diff.classes.length === 0) {
    lines.push('  no class changed');
    return lines.join('\n') + '\n';
  }
  lines.push('');
  const shown = diff.classes.slice(0, top);
  const shared = sharedClassNames(diff.classes);
  const rows = shown.map((c) => [
    clip(classLabel(c, shared)),
    c.countBefore.toLocaleString('en-US'),
    c.countAfter.toLocaleString('en-US'),
    signed(c.countDelta),
    signedBytes(c.sizeDelta),
    c.newCount.toLocaleString('en-US'),
    formatBytes(c.newSize),
  ]);
  lines.push(classTable(['Class', 'Before', 'After', 'Delta', 'Size delta', 'New', 'New size'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right'], color));
  if (diff.classes.length > shown.length) lines.push(`  ... ${diff.classes.length - shown.length} more classes (--top N, or --json for all)`);
  return lines.join('\n') + '\n';
}
