import type { LeakGroup, BoundedGroup } from '../snapshot/index.js';
import { paint } from '../util/color.js';
import { formatBytes } from '../util/units.js';

/** `memprof leaks` as text: each group with its count, retained size and one retainer path. */
export function formatLeaksText(
  files: [string, string, string],
  leaks: Array<LeakGroup & { kind?: string; evidence?: string }>,
  filtered: boolean,
  color = false,
  window?: { steady: string[]; bounded: BoundedGroup[] },
  browser = false,
): string {
  const lines: string[] = [];
  lines.push(paint('bold', `Leaks: objects created between ${files[0]} and ${files[1]} still alive in ${files[2]}`, color));
  if (window) lines.push(`  steady window: ${[...window.steady, files[1]].join(', ')} (a container that does not grow across it is bounded, not a leak)`);
  if (leaks.length === 0) {
    lines.push(paint('green', '  no leak found', color) + (filtered ? ` (${browser ? "objects only the browser holds (Blink's style, font and layout caches, DevTools' console), the page's attached DOM" : 'objects only Node and V8 hold, such as their caches and free lists'}, tiny strings and one-off objects are filtered; --all to see everything)` : ''));
  } else {
    const total = leaks.reduce((s, l) => s + l.retainedSize, 0);
    lines.push(`  ${leaks.length} group${leaks.length === 1 ? '' : 's'}, ${leaks.reduce((s, l) => s + l.count, 0).toLocaleString('en-US')} objects retaining ${formatBytes(total)}`);
    leaks.forEach((l, i) => {
      lines.push('');
      const growth = l.growthBytes > 0 ? `, still growing: +${formatBytes(l.growthBytes)} more created after TARGET` : '';
      lines.push(`  ${i + 1}. ${paint('red', l.name, color)}  ${l.count.toLocaleString('en-US')} objects, retained ${formatBytes(l.retainedSize)}${window ? '' : growth}`);
      if (l.kind) lines.push(`     ${l.kind}: ${l.evidence ?? ''}`);
      lines.push(`     ${formatPath(l.path)}`);
    });
  }
  if (window && window.bounded.length > 0) {
    lines.push('');
    lines.push(`  bounded, not reported: ${window.bounded.length} group${window.bounded.length === 1 ? '' : 's'}`);
    for (const b of window.bounded) lines.push(`     ${b.name}  ${b.count.toLocaleString('en-US')} objects: ${b.evidence}`, `     ${formatPath(b.path)}`);
  }
  return lines.join('\n') + '\n';
}

/** `a > b > c`, with edge names (odd positions) in brackets-free form as DevTools' retainers read. */
function formatPath(path: string[]): string {
  return path.join(' > ');
}
