import { CHART_SCRIPT } from './html/chart-script.js';
import { gcDistributionChart, gcTimeChart } from './html/chart-gc.js';
import { memoryChart, steadyChart, timeline } from './html/chart-memory.js';
import { naiveChart, stepsChart } from './html/chart-steps.js';
import { connectionsSection } from './html/connections.js';
import { esc, inlineScript, inlineStyle, jsonForScript } from './html/escape.js';
import { gcSection } from './html/gc.js';
import { growthSection } from './html/growth.js';
import { leaksSection } from './html/leaks.js';
import { overviewSection } from './html/overview.js';
import { STYLE } from './html/style.js';
import { loadSection, notesSection, poolsSection } from './html/tables.js';
import type { ChartSpec, HtmlReportInput } from './html/types.js';
import { overall, verdictSection } from './html/verdict.js';

export type { HtmlReportInput } from './html/types.js';

/**
 * No request may leave the page: every script, style and datum is inline, and the policy forbids
 * fetching anything else (a string that got past escaping could not load a thing either).
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const TOC: Array<[string, string]> = [
  ['verdict', 'Checklist'],
  ['memory', 'Memory'],
  ['connections', 'Per connection'],
  ['growth', 'Growth'],
  ['gc', 'GC'],
  ['pools', 'Pools'],
  ['leaks', 'Leaks'],
  ['load', 'Load'],
  ['notes', 'Notes'],
];

/**
 * report.html: one self-contained page for a run. The verdict and every table are HTML rendered
 * here, so they read with JavaScript off and print; the charts are drawn in the browser by uPlot
 * (inlined) from the JSON inlined beside it. Pure: data in, string out.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { report, samples, gcEvents } = input;
  const { sorted, t0, unit } = timeline(samples, gcEvents.map((e) => e.t));
  const memory = sorted.length ? memoryChart(sorted, t0, unit) : null;
  const steps = report.connections ? stepsChart(report.connections) : null;
  const naive = report.connections ? naiveChart(report.connections) : null;
  const steady = steadyChart(sorted, gcEvents, report.growth);
  const gcTime = gcTimeChart(gcEvents, t0, unit);
  const gcDist = gcDistributionChart(gcEvents);
  const charts = [memory, steps, naive, steady, gcTime, gcDist].filter((c): c is ChartSpec => c !== null);
  const verdict = overall(report.checks);
  const title = `memprof report: ${verdict.text}`;
  const body = [
    `<header><h1>memprof report</h1><p class="muted">${esc(report.target.command ?? 'target command unknown')}${input.source ? ` · ${esc(input.source)}` : ''} · ${esc(`${report.durationSec.toFixed(1)} s`)} · memprof ${esc(report.tool.version)}</p>`,
    `<nav class="toc">${TOC.map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`).join('')}</nav></header>`,
    '<main>',
    verdictSection(report.checks),
    overviewSection(report, memory, sorted.length),
    connectionsSection(report, steps, naive),
    growthSection(report, steady),
    gcSection(report, gcTime, gcDist),
    poolsSection(report),
    leaksSection(report),
    loadSection(report),
    notesSection(report),
    '</main>',
    `<footer>${esc(report.schema)} · written by memprof ${esc(report.tool.version)} · self-contained: charts by uPlot, inlined</footer>`,
  ].join('\n');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${inlineStyle(input.assets.uplotCss)}</style>`,
    `<style>${inlineStyle(STYLE)}</style>`,
    '</head><body>',
    body,
    `<script type="application/json" id="memprof-data">${jsonForScript({ charts })}</script>`,
    // uPlot is inlined rather than loaded from a CDN: the page must open offline, from a CI
    // artifact, years later. It is the chart library because it is small (~50 KB minified) and
    // draws tens of thousands of points on a canvas in milliseconds (ECharts is ~1 MB, Chart.js
    // slows down with that many points).
    `<script>${inlineScript(input.assets.uplotJs)}</script>`,
    `<script>${inlineScript(CHART_SCRIPT)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
