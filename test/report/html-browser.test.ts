import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprof } from '../helpers.js';
import { FIXTURE, tempDir } from '../e2e/helpers.js';
import { findChromium, launch, openReport } from './browser.js';

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn('html-browser.test.ts: skipped: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)');
}

/** Non-blank lines of a run's line file: what each time chart must have drawn. */
function lines(file: string): number {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
}

const HOSTILE = '</script><img src=x onerror="window.__pwned=1"><b>bold</b>';

describe.skipIf(!CHROMIUM)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;
  let run: ReturnType<typeof memprof>;

  beforeAll(async () => {
    // A real, short run of the MCP fixture: ramp, hold with churn and tool calls, no snapshots (speed).
    dir = path.join(tempDir('memprof-html-'), 'run');
    run = memprof([
      'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '4,8,12', '--msg-rate', '2', '--hold', '4s', '--churn', '--lifetime', '1s',
      '--interval', '200ms', '--snapshots', '0', '--no-warmup', '--out', dir, '--', process.execPath, FIXTURE, '--mode', 'clean',
    ]);
    report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    browser = await launch(CHROMIUM!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('run writes DIR/report.html and prints its path', () => {
    expect([0, 1]).toContain(run.status);
    const html = path.join(dir, 'report.html');
    expect(run.stderr).toContain(`memprof: HTML report: ${html}`);
    expect(statSync(html).size).toBeGreaterThan(50_000); // uPlot is inlined
  });

  it('at 1280 px: no console error, no request, every chart drawn with all its points, the verdict on top', async () => {
    const o = await openReport(browser, path.join(dir, 'report.html'), { width: 1280 });
    try {
      expect(o.errors).toEqual([]);
      expect(o.requests).toEqual([]);
      const charts = await o.page.$$eval('.plot', (els) => els.map((e) => ({ id: e.getAttribute('data-chart'), points: e.getAttribute('data-points'), drawn: e.getAttribute('data-drawn'), series: e.getAttribute('data-series'), canvas: !!e.querySelector('canvas') })));
      const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
      for (const c of charts) {
        expect(c.canvas, c.id!).toBe(true);
        expect(c.drawn, c.id!).toBe(c.points);
      }
      const samples = lines(path.join(dir, 'samples.jsonl'));
      const gcEvents = lines(path.join(dir, 'gc.jsonl'));
      const steps = report.connections!.steps.length;
      expect(byId.memory.drawn).toBe(String(samples));
      // heap used and RSS at every sample; heap after GC at the forced-GC samples; sessions at every sample.
      const series = JSON.parse(byId.memory.series!) as number[];
      expect(series[0]).toBe(samples);
      expect(series[1]).toBeGreaterThanOrEqual(steps);
      expect(byId.steps.drawn).toBe(String(steps + 1)); // the fitted line starts at 0 sessions
      expect(JSON.parse(byId.steps.series!)[0]).toBe(steps);
      expect(byId.naive.drawn).toBe(String(steps));
      expect(byId['gc-time'].drawn).toBe(String(gcEvents));
      expect(byId['gc-dist'].drawn).toBe(String(gcEvents));
      expect(byId.steady).toBeDefined();

      const verdict = (await o.page.textContent('.verdict'))!;
      const failed = report.checks.filter((c) => c.status === 'fail').length;
      expect(verdict).toMatch(failed ? new RegExp(`✗ ${failed} of ${report.checks.length} checks failed`) : /✓ all \d+ checks pass|inconclusive/);
      const rows = await o.page.$$eval('table.checks tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      expect(rows).toHaveLength(report.checks.length);
      report.checks.forEach((c, i) => expect(rows[i]).toContain(c.id));
      // The checklist comes first.
      const first = await o.page.$eval('main section', (s) => s.id);
      expect(first).toBe('verdict');
      await o.page.screenshot({ path: path.join(dir, 'report-1280.png') });
      expect(statSync(path.join(dir, 'report-1280.png')).size).toBeGreaterThan(10_000);
    } finally {
      await o.close();
    }
  });

  it('at 390 px: nothing wider than the screen, charts fit it', async () => {
    const o = await openReport(browser, path.join(dir, 'report.html'), { width: 390 });
    try {
      expect(o.errors).toEqual([]);
      expect(await o.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const widths = await o.page.$$eval('.plot canvas', (cs) => cs.map((c) => c.getBoundingClientRect().width));
      expect(widths.length).toBeGreaterThanOrEqual(5);
      for (const w of widths) expect(w).toBeLessThanOrEqual(390);
      await o.page.screenshot({ path: path.join(dir, 'report-390.png') });
      expect(statSync(path.join(dir, 'report-390.png')).size).toBeGreaterThan(5_000);
    } finally {
      await o.close();
    }
  });

  it('with JavaScript off, the verdict and the tables are there', async () => {
    const o = await openReport(browser, path.join(dir, 'report.html'), { width: 1280, javaScript: false });
    try {
      expect(await o.page.textContent('.verdict')).toMatch(/checks/);
      expect(await o.page.$$eval('table.checks tbody tr', (r) => r.length)).toBe(report.checks.length);
      expect(await o.page.textContent('#connections table')).toContain('sessions open');
      expect(await o.page.$$eval('.plot .nojs', (p) => p.length)).toBeGreaterThan(0);
    } finally {
      await o.close();
    }
  });

  it('strings from the heap cannot inject HTML: a class name with </script><img onerror> shows as text', async () => {
    // The real run's files, with hostile names where a heap or a command line puts strings.
    const evil = path.join(path.dirname(dir), 'evil');
    mkdirSync(evil);
    for (const f of ['samples.jsonl', 'gc.jsonl']) copyFileSync(path.join(dir, f), path.join(evil, f));
    const hostile: Report = structuredClone(report);
    hostile.target.command = HOSTILE;
    hostile.leaks = [{ name: HOSTILE, count: 3, retainedSize: 4096, growthBytes: 100, path: ['(GC roots)', HOSTILE, 'Map', 'table', HOSTILE] }];
    hostile.connections!.typicalSession = { class: HOSTILE, retainedBytes: 2048, holds: [{ name: HOSTILE, count: 2, retainedBytes: 1024 }, { name: 'Map', count: 1, retainedBytes: 512 }] };
    hostile.pools = [{ name: HOSTILE, created: 1, reused: 9, reuseRatio: 0.9, peakInUse: 1 }];
    hostile.notes = { ...hostile.notes, [HOSTILE]: HOSTILE };
    hostile.checks = hostile.checks.map((c, i) => (i === 0 ? { ...c, id: HOSTILE, reason: HOSTILE } : c));
    writeFileSync(path.join(evil, 'report.json'), JSON.stringify(hostile));
    const out = path.join(evil, 'page.html');
    const r = memprof(['report', evil, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(out);

    const o = await openReport(browser, out, { width: 1280 });
    try {
      expect(o.errors).toEqual([]);
      expect(o.requests).toEqual([]);
      expect(await o.page.evaluate('window.__pwned')).toBeUndefined();
      expect(await o.page.$$eval('img, b', (els) => els.length)).toBe(0);
      const text = (await o.page.textContent('body'))!;
      expect(text.split(HOSTILE).length - 1).toBeGreaterThanOrEqual(8);
      // The leak's retainer path is collapsible; the treemap has a tile per class.
      expect(await o.page.$$eval('details.leak ol.path li', (li) => li.length)).toBe(3);
      expect(await o.page.getAttribute('.treemap', 'data-tiles')).toBe('2');
      const charts = await o.page.$$eval('.plot', (els) => els.map((e) => e.getAttribute('data-drawn') === e.getAttribute('data-points')));
      expect(charts.every(Boolean)).toBe(true);
    } finally {
      await o.close();
    }
  });
});

describe('memprof report: bad input', () => {
  it('a directory that is not a run: one line, exit 2', () => {
    const empty = tempDir('memprof-html-bad-');
    for (const args of [['report', path.join(empty, 'nope')], ['report', empty]]) {
      const r = memprof(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^memprof: .*(no such directory|no report\.json)/);
    }
  });
});
