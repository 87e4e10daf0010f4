import type { Report } from '../../model/report.js';
import { formatBytes } from '../../util/units.js';
import { chartSlot, fig, figures, para, section, table } from './parts.js';
import { treemap } from './treemap.js';
import type { ChartSpec } from './types.js';

/**
 * Memory per connection: the steps, the fitted line (marginal and fixed cost, R²) beside the naive
 * heap / N curve, the retained size per session, and what a typical session holds.
 */
export function connectionsSection(report: Report, steps: ChartSpec | null, naive: ChartSpec | null): string {
  const notes = report.notes ?? {};
  const c = report.connections;
  if (!c) {
    return section('connections', 'Memory per connection', para(notes.connections ? `Not measured: ${notes.connections}` : 'Not measured in this run (no --mcp load and no connection objects in the heap).', 'muted'));
  }
  const bytes = (v: number): string => formatBytes(v);
  const parts: string[] = [];
  parts.push(
    table(
      ['sessions open', 'heap used after GC', 'RSS', 'heap / sessions (naive)'],
      c.steps.map((s, i) => [
        s.connections.toLocaleString('en-US'),
        fig(s.heapUsedBytes, bytes, notes, `connections.steps.${i}.heapUsedBytes`),
        fig(s.rssBytes, bytes, notes, `connections.steps.${i}.rssBytes`),
        fig(s.bytesPerConnection, bytes, notes, `connections.steps.${i}.bytesPerConnection`),
      ]),
      'rrrr',
      'Heap and RSS after a forced full GC at each step',
    ),
  );
  parts.push(
    figures([
      ['marginal (slope)', fig(c.marginalBytesPerConnection, (v) => `${formatBytes(v)} per session`, notes, 'connections.marginalBytesPerConnection')],
      ['fixed (intercept)', fig(c.fixedBytes, bytes, notes, 'connections.fixedBytes')],
      ['R²', fig(c.r2, (v) => v.toFixed(4), notes, 'connections.r2')],
      ...(c.rss ? [['RSS per session', `${formatBytes(c.rss.marginalBytesPerConnection)} (fixed ${formatBytes(c.rss.fixedBytes)}, R² ${c.rss.r2 === null ? 'undefined' : c.rss.r2.toFixed(4)})`] as [string, string]] : []),
    ]),
  );
  parts.push(
    `<div class="pair">${chartSlot(steps, 'Heap at each step and the fitted line', 'Intercept: the fixed cost (heap with no session); slope: what one more session costs.', 'No step was measured.')}` +
      `${chartSlot(naive, 'Naive heap / sessions beside the marginal cost', 'heap / N = marginal + fixed / N: it falls with N and overstates the cost of a session; plan with the marginal figure.', 'No step with sessions was measured.')}</div>`,
  );
  const r = c.retained;
  if (r) {
    parts.push(
      table(
        ['class', 'instances', 'mean', 'p50', 'p90', 'max'],
        [[r.class, r.count.toLocaleString('en-US'), ...[r.meanBytes, r.p50Bytes, r.p90Bytes, r.maxBytes].map((v) => fig(v, bytes, notes, 'connections.retained'))]],
        'lrrrrr',
        'Retained size per session, from a heap snapshot at the top step (percentiles nearest-rank)',
      ),
    );
  } else {
    parts.push(para(`Retained size per session: ${fig(null, bytes, notes, 'connections.retained')}${r === undefined && !notes['connections.retained'] ? ' (no snapshot at a step: --snapshots)' : ''}`, 'muted'));
  }
  parts.push(typicalSession(report));
  return section('connections', 'Memory per connection', parts.join('\n'));
}

/** What one typical session retains, by class: a treemap, and the same figures as a table. */
function typicalSession(report: Report): string {
  const t = report.connections?.typicalSession;
  if (!t || !Array.isArray(t.holds) || t.holds.length === 0) {
    return `<h3>What a typical session retains</h3>${para('Not measured: no snapshot was taken at a step with sessions open (--snapshots).', 'muted')}`;
  }
  const label = `what one typical ${t.class} retains (${formatBytes(t.retainedBytes)}), by class`;
  return [
    `<h3>What a typical session retains</h3>`,
    para(`The ${t.class} of median retained size (${formatBytes(t.retainedBytes)}): the objects it alone keeps alive, by class; each area is that class's retained size.`),
    treemap(
      t.holds.map((h) => ({ name: h.name, count: h.count, bytes: h.retainedBytes })),
      label,
    ),
    table(
      ['class', 'objects', 'retained'],
      t.holds.slice(0, 15).map((h) => [h.name, h.count.toLocaleString('en-US'), formatBytes(h.retainedBytes)]),
      'lrr',
    ),
  ].join('\n');
}
