import type { ChartSpec } from './types.js';
import { formatBytes } from '../../util/units.js';
import { esc } from './escape.js';

/**
 * Small builders shared by the sections. Every argument named `text` or `cells` is escaped here;
 * arguments named `html` are markup the caller built (from escaped parts).
 */

export function section(id: string, title: string, html: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${html}\n</section>`;
}

export function para(text: string, cls?: string): string {
  return `<p${cls ? ` class="${esc(cls)}"` : ''}>${esc(text)}</p>`;
}

/** A table; `align` per column: l (text) or r (numbers). Cells are escaped text. */
export function table(head: string[], rows: string[][], align: string = '', caption?: string): string {
  const cls = (i: number): string => (align[i] === 'r' ? ' class="num"' : '');
  const th = head.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${th}</tr></thead>\n<tbody>${body}</tbody></table></div>`;
}

/** Label: value pairs, for a handful of figures. */
export function figures(pairs: Array<[string, string]>): string {
  return `<dl class="figures">${pairs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

/**
 * Where a chart goes: a titled figure whose plot element the page's script fills. Without
 * JavaScript the element says so (the figures are in the tables beside it). `data-points` is the
 * number of rows the chart was given, for the browser test to compare with what was drawn.
 */
export function chartSlot(spec: ChartSpec | null, title: string, caption: string, missing: string): string {
  if (!spec) return `<figure class="chart empty"><figcaption>${esc(title)}</figcaption>${para(missing, 'muted')}</figure>`;
  return (
    `<figure class="chart"><figcaption>${esc(title)}</figcaption>` +
    `<div id="chart-${esc(spec.id)}" class="plot" data-chart="${esc(spec.id)}" data-points="${spec.data[0].length}">` +
    `<p class="nojs muted">This chart is drawn by JavaScript, which is off; the figures are in the tables.</p></div>` +
    `${para(caption, 'caption')}</figure>`
  );
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** A figure in its unit, or "not measured" with the reason the report notes under one of `paths`. */
export function fig(value: number | null | undefined, format: (v: number) => string, notes: Record<string, string>, ...paths: string[]): string {
  if (typeof value === 'number' && Number.isFinite(value)) return format(value);
  for (const p of paths) if (notes[p]) return `not measured: ${notes[p]}`;
  return 'not measured';
}

export function perHour(v: number): string {
  return `${v < 0 ? '−' : '+'}${formatBytes(Math.abs(v))}/h`;
}
