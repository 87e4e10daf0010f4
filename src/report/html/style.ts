/**
 * The page's stylesheet: system fonts (nothing to fetch), one column that reads at 390 px and
 * widens to two charts side by side from 900 px, tables that scroll sideways rather than overflow,
 * and a print layout (no navigation, no page break inside a figure or a table row).
 */
export const STYLE = `
:root { --fg: #1b1b1b; --muted: #5f6368; --line: #dadce0; --pass: #137333; --fail: #c5221f; --warn: #b06000; --na: #5f6368; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 1.5rem; margin: 0.2em 0 0.1em; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.8em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.4em 0 0.5em; }
code { font: 0.92em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.muted, .caption { color: var(--muted); }
.caption { font-size: 0.88rem; margin: 0.3em 0 0; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.9rem; margin: 8px 0 0; }
nav.toc a { color: #1a5fb4; text-decoration: none; }
.verdict { font-size: 1.25rem; font-weight: 650; padding: 10px 14px; border-radius: 6px; margin: 0 0 12px; border: 2px solid; }
.v-pass { color: var(--pass); border-color: var(--pass); background: #e6f4ea; }
.v-fail { color: var(--fail); border-color: var(--fail); background: #fce8e6; }
.v-inconclusive { color: var(--warn); border-color: var(--warn); background: #fef7e0; }
.v-unchecked { color: var(--na); border-color: var(--line); }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 0.92rem; min-width: 50%; }
caption { text-align: left; color: var(--muted); font-size: 0.88rem; padding-bottom: 4px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.checks td:last-child { min-width: 16em; }
table.checks td:nth-child(2) { min-width: 13em; }
td.mark { white-space: nowrap; font-weight: 650; }
tr.st-pass td.mark { color: var(--pass); }
tr.st-fail td.mark { color: var(--fail); }
tr.st-inconclusive td.mark { color: var(--warn); }
tr.st-na td.mark { color: var(--na); }
tr.st-fail { background: #fff6f5; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 18px; margin: 8px 0 12px; }
dl.figures div { border-left: 3px solid var(--line); padding-left: 8px; }
dl.figures dt { color: var(--muted); font-size: 0.85rem; }
dl.figures dd { margin: 0; overflow-wrap: anywhere; }
figure.chart { margin: 10px 0 16px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.plot { width: 100%; min-height: 60px; }
.pair { display: grid; grid-template-columns: 1fr; gap: 0 24px; }
@media (min-width: 900px) { .pair { grid-template-columns: 1fr 1fr; } }
ul.phases { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85rem; color: var(--muted); }
.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 6px; border: 1px solid #bbb; vertical-align: -1px; }
.treemap { position: relative; width: 100%; aspect-ratio: 16 / 9; max-height: 420px; border: 1px solid var(--line); margin: 8px 0; }
.tile { position: absolute; overflow: hidden; border: 1px solid #fff; padding: 2px 4px; font-size: 0.78rem; line-height: 1.2; }
.tile .name { font-weight: 600; overflow-wrap: anywhere; }
.tile .size { color: #333; white-space: nowrap; }
details.leak { margin: 6px 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
details.leak summary { cursor: pointer; overflow-wrap: anywhere; }
ol.path { margin: 8px 0 2px; padding-left: 1.6em; font: 0.88rem/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ol.path .edge { color: var(--muted); }
ol.path .edge::before { content: "—["; }
ol.path .edge::after { content: "]→"; }
ol.path li, dl.notes dd { overflow-wrap: anywhere; }
dl.notes dt { margin-top: 6px; }
dl.notes dd { margin: 0 0 0 1.2em; }
footer { margin-top: 32px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 520px) {
  body { padding: 10px 12px 32px; font-size: 14px; }
  th, td { padding: 4px 6px; }
  dl.figures { grid-template-columns: 1fr; }
  table.checks td:last-child, table.checks td:nth-child(2) { min-width: 9em; }
  .treemap { aspect-ratio: 4 / 3; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav.toc, .nojs { display: none; }
  h2 { break-after: avoid; }
  figure.chart, .treemap, tr, details.leak { break-inside: avoid; }
  .scroll { overflow: visible; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .tile, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;
