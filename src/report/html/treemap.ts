import { formatBytes } from '../../util/units.js';
import { esc } from './escape.js';

export interface TreemapItem {
  name: string;
  count: number;
  bytes: number;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The layout's box: tiles are placed in these units and drawn in % of a box of this aspect. */
const W = 16;
const H = 9;
/** Beyond this many classes, the rest share one tile: past it tiles get too small to read. */
const MAX_TILES = 24;

/**
 * A treemap as positioned HTML boxes (no script, so it also prints and works with JavaScript off):
 * each class's area is its share of what the session retains, laid out by the squarified
 * algorithm (Bruls, Huizing, van Wijk 2000), which keeps tiles near square so areas compare.
 */
export function treemap(items: TreemapItem[], label: string): string {
  const sorted = items.filter((i) => Number.isFinite(i.bytes) && i.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  const shown = sorted.slice(0, MAX_TILES);
  const rest = sorted.slice(MAX_TILES);
  if (rest.length) {
    shown.push({ name: `other (${rest.length} classes)`, count: rest.reduce((a, i) => a + i.count, 0), bytes: rest.reduce((a, i) => a + i.bytes, 0) });
  }
  if (shown.length === 0) return '';
  const rects = squarify(
    shown.map((i) => i.bytes),
    { x: 0, y: 0, w: W, h: H },
  );
  const pct = (v: number, of: number): string => `${((100 * v) / of).toFixed(3)}%`;
  const tiles = shown
    .map((item, i) => {
      const r = rects[i];
      const hue = (i * 137.5) % 360;
      const text = `${item.name}: ${formatBytes(item.bytes)} retained, ${item.count.toLocaleString('en-US')} object${item.count === 1 ? '' : 's'}`;
      return (
        `<div class="tile" style="left:${pct(r.x, W)};top:${pct(r.y, H)};width:${pct(r.w, W)};height:${pct(r.h, H)};background:hsl(${hue.toFixed(0)},55%,82%)" title="${esc(text)}">` +
        `<span class="name">${esc(item.name)}</span> <span class="size">${esc(formatBytes(item.bytes))}</span></div>`
      );
    })
    .join('');
  return `<div class="treemap" role="img" aria-label="${esc(label)}" data-tiles="${shown.length}">${tiles}</div>`;
}

/** Squarified layout of `values` (largest first) into `box`; one rectangle per value, in order. */
export function squarify(values: number[], box: Rect): Rect[] {
  const total = values.reduce((a, v) => a + v, 0);
  if (!(total > 0)) return values.map(() => ({ x: box.x, y: box.y, w: 0, h: 0 }));
  const areas = values.map((v) => (v * box.w * box.h) / total);
  const out: Rect[] = [];
  let r = { ...box };
  let i = 0;
  while (i < areas.length) {
    const side = Math.min(r.w, r.h);
    const row = [areas[i]];
    let j = i + 1;
    while (j < areas.length && worst([...row, areas[j]], side) <= worst(row, side)) row.push(areas[j++]);
    const sum = row.reduce((a, v) => a + v, 0);
    const thick = side > 0 ? sum / side : 0;
    let at = 0;
    for (const a of row) {
      const len = thick > 0 ? a / thick : 0;
      // The row runs along the box's shorter side, so what is left stays as square as it can.
      out.push(r.w >= r.h ? { x: r.x, y: r.y + at, w: thick, h: len } : { x: r.x + at, y: r.y, w: len, h: thick });
      at += len;
    }
    r = r.w >= r.h ? { x: r.x + thick, y: r.y, w: r.w - thick, h: r.h } : { x: r.x, y: r.y + thick, w: r.w, h: r.h - thick };
    i = j;
  }
  return out;
}

/** The worst aspect ratio in a row of areas laid along a side of length `side`. */
function worst(row: number[], side: number): number {
  const sum = row.reduce((a, v) => a + v, 0);
  const s2 = side * side;
  let w = 0;
  for (const a of row) w = Math.max(w, (s2 * a) / (sum * sum), (sum * sum) / (s2 * a));
  return w;
}
