import type { LeakFigures, Report } from '../../model/report.js';
import { formatNumber } from '../../util/format-figure.js';
import { formatBytes } from '../../util/units.js';
import { esc } from './escape.js';
import { para, perHour, section, table } from './parts.js';

const KIND: Record<string, string> = {
  'outlives-sessions': 'outlives the sessions (alive after every session closed)',
  'grows-with-live-sessions': 'grows with live sessions (freed when they close)',
};

/** Leak groups: a table of sizes and rates, then each group's retainer path, collapsible. */
export function leaksSection(report: Report): string {
  const notes = report.notes ?? {};
  const leaks = report.leaks;
  let body: string;
  if (leaks === undefined) body = para('Not measured in this run (take 3 or more snapshots: --snapshots 3).', 'muted');
  else if (leaks === null) body = para(`Not measured${notes.leaks ? `: ${notes.leaks}` : ''}.`, 'muted');
  else if (leaks.length === 0) body = para('None found.', 'ok');
  else {
    const rate = (v: number | null | undefined, f: (v: number) => string): string => (typeof v === 'number' && Number.isFinite(v) ? f(v) : '–');
    body = [
      table(
        ['class', 'objects', 'retained', 'still growing', 'rate', 'per request', 'kind'],
        leaks.map((l) => [
          l.name,
          l.count.toLocaleString('en-US'),
          formatBytes(l.retainedSize),
          l.growthBytes === null ? 'not measured' : formatBytes(l.growthBytes),
          rate(l.bytesPerHour, perHour),
          rate(l.bytesPerRequest, (v) => formatBytes(v)),
          l.kind ? (KIND[l.kind] ?? l.kind) : '–',
        ]),
        'lrrrrrl',
        'Leak groups, largest first: objects of one class held the same way, that outlived the load',
      ),
      ...leaks.map(retainerPath),
    ].join('\n');
  }
  return section('leaks', 'Leaks', body + growingClasses(report));
}

/**
 * One group's path from a GC root, node and edge names interleaved: nodes as list items, the edge
 * that leads to each as its label.
 */
function retainerPath(l: LeakFigures, i: number): string {
  const steps: string[] = [];
  if (l.path.length) steps.push(`<li><span class="node">${esc(l.path[0])}</span></li>`);
  for (let k = 1; k < l.path.length; k += 2) {
    const node = l.path[k + 1];
    steps.push(`<li><span class="edge">${esc(l.path[k])}</span>${node === undefined ? '' : ` <span class="node">${esc(node)}</span>`}</li>`);
  }
  const objects = typeof l.objectsPerRequest === 'number' ? `, ${formatNumber(l.objectsPerRequest)} objects per request` : '';
  return (
    `<details class="leak"${i === 0 ? ' open' : ''}><summary><code>${esc(l.name)}</code>: ${esc(`${l.count.toLocaleString('en-US')} objects, ${formatBytes(l.retainedSize)} retained${objects}`)}</summary>` +
    (steps.length ? `<ol class="path">${steps.join('')}</ol>` : para('No retainer path was recorded.', 'muted')) +
    `</details>`
  );
}

function growingClasses(report: Report): string {
  const g = report.growingClasses;
  if (!g || g.length === 0) return '';
  return (
    '\n<h3>Classes that grew in every snapshot</h3>\n' +
    table(
      ['class', 'instances per snapshot', 'growth'],
      g.map((c) => [c.name, c.counts.map((n) => n.toLocaleString('en-US')).join(' → '), formatBytes(c.growthBytes)]),
      'lrr',
    )
  );
}
