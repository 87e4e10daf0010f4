import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';
import { HAVE_CHROMIUM, NO_CHROMIUM, launchChromium, leakSnapshots } from './chromium.js';

/**
 * Real pages in headless Chromium (fixtures/browser/leaky-page.html): three snapshots of a page
 * that keeps the rows it removes in three ways (an array on window, a closure's array, a resize
 * listener per row), and of the same page letting go of them.
 */
if (!HAVE_CHROMIUM) console.warn(`skipping the browser page tests: ${NO_CHROMIUM}`);

const ROWS = 40;
let dir: string;
let browser: Browser | undefined;
let leaky: [string, string, string];
let clean: [string, string, string];

interface Group {
  name: string;
  count: number;
  retainedSize: number;
  path: string[];
  detachedness?: string;
}

describe.skipIf(!HAVE_CHROMIUM)('memprof on a browser page', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'memprof-page-'));
    browser = await launchChromium();
    leaky = await leakSnapshots(browser, dir, { clean: false, rows: ROWS });
    clean = await leakSnapshots(browser, dir, { clean: true, rows: ROWS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    try {
      if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // Chromium's helper processes may still write into its profile: a temporary directory left behind is harmless.
    }
  });

  it('leaks: the detached rows as DevTools names them, each held its own way, and the listeners; none of the browser', () => {
    const r = memprof(['leaks', ...leaky, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.browser).toBe(true);
    const groups = out.leaks as Group[];
    expect(groups.map((g) => g.name).sort()).toEqual(['Detached <div>', 'Detached <li>', 'Detached <p>', 'Function']);
    const named = (name: string): Group => groups.find((g) => g.name === name)!;
    for (const tag of ['div', 'li', 'p']) {
      const g = named(`Detached <${tag}>`);
      expect(g.count).toBe(ROWS);
      expect(g.detachedness).toBe('detached');
      expect(g.path.at(-1)).toBe(`Detached <${tag}>`);
      // A row retains its span, button and text: more than the element itself.
      expect(g.retainedSize).toBeGreaterThan(ROWS * 300);
    }
    // Held by an array on window: the path names the global variable.
    const div = named('Detached <div>').path;
    expect(div).toContain('Window [JSGlobalObject] / http://memprof.test');
    expect(div.slice(div.indexOf('removedRows'))).toEqual(['removedRows', 'Array', expect.stringMatching(/^\[\d+\]$/), 'Detached <div>']);
    // Held by a closure: the script's top-level const, the closure, its context variable.
    const li = named('Detached <li>').path;
    expect(li.slice(li.indexOf('rowCache'))).toEqual(expect.arrayContaining(['rowCache', 'keep()', 'context', 'kept', 'Array', 'Detached <li>']));
    // Held by a listener on window: through Blink's listener list to the function and its scope.
    const p = named('Detached <p>').path;
    expect(p.some((s) => s.startsWith('Window / http://memprof.test'))).toBe(true);
    expect(p.slice(p.indexOf('V8EventListener'))).toEqual(['V8EventListener', '[1]', 'onResize()', 'context', expect.stringMatching(/^system \/ Context/), 'p', 'Detached <p>']);
    // The listeners themselves leak too; their bytes are theirs alone (the rows are counted once, above).
    const fn = named('Function');
    expect(fn.count).toBe(ROWS);
    expect(fn.path.at(-1)).toBe('onResize()');
    expect(fn.retainedSize).toBeLessThan(named('Detached <p>').retainedSize);
    // Nothing of DevTools' console or the automation's utility world.
    for (const g of groups) expect(g.path.join(' ')).not.toMatch(/UtilityScript|DevTools console/);
  });

  it('leaks: the same page letting go of its rows reports no leak, and says what it filtered', () => {
    const r = memprof(['leaks', ...clean, '--fail-on-leak']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no leak found');
    expect(r.stdout).toContain('objects only the browser holds');
    // With --all, the browser's own new objects are there: what the default leaves out.
    const all = JSON.parse(memprof(['leaks', ...clean, '--all', '--json']).stdout);
    expect(all.leaks.some((g: Group) => g.name.startsWith('blink::'))).toBe(true);
  });

  it('inspect and diff: the detached DOM in the summary, as DevTools counts its Detached classes', () => {
    const r = memprof(['inspect', leaky[2], '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const detachedClasses = (out.classes as Array<{ name: string; count: number; selfSize: number }>).filter((c) => c.name.startsWith('Detached '));
    expect(out.detached.nodes).toBe(detachedClasses.reduce((s, c) => s + c.count, 0));
    expect(out.detached.nodesSize).toBe(detachedClasses.reduce((s, c) => s + c.selfSize, 0));
    expect(detachedClasses.find((c) => c.name === 'Detached <li>')!.count).toBeGreaterThanOrEqual(ROWS);
    expect(out.detached.retainedCount).toBeGreaterThanOrEqual(out.detached.nodes);
    const text = memprof(['inspect', leaky[2]]).stdout;
    expect(text).toMatch(/detached DOM: [\d,]+ nodes/);

    const d = memprof(['diff', leaky[0], leaky[2], '--json']);
    expect(d.status).toBe(0);
    const diff = JSON.parse(d.stdout);
    expect(diff.detached.after.nodes - diff.detached.before.nodes).toBeGreaterThanOrEqual(3 * ROWS);
  });
});
