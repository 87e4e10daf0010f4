#!/usr/bin/env node
// Makes the README's screenshot of the HTML report: docs/images/report.png, from a real
// `memprof demo` run on this machine (about a minute), opened in headless Chromium.
//
//   node scripts/screenshots.mjs              # runs the demo into a temp dir, then shoots
//   node scripts/screenshots.mjs --dir DIR    # shoots DIR/report.html of an earlier run
//
// Needs the build (npm run build) and a Chromium: /usr/bin/chromium (Debian's `chromium`
// package) or CHROMIUM_PATH. Rerun it when the page changes; commit the image it writes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'memprof.js');
const IMAGES = path.join(ROOT, 'docs', 'images');

function fail(message) {
  process.stderr.write(`screenshots: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const at = args.indexOf('--dir');
let dir = at >= 0 ? args[at + 1] : null;
if (at >= 0 && !dir) fail('--dir needs a directory');
const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!executablePath) fail('no Chromium found: apt-get install chromium, or set CHROMIUM_PATH');
if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) fail('no build: run npm run build first');

if (!dir) {
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'memprof-shots-')), 'demo');
  process.stderr.write(`screenshots: running memprof demo --out ${dir} (about a minute)\n`);
  // The demo exits 1 when a check fails: the page is written either way, and that is what is shot.
  const r = spawnSync(process.execPath, [BIN, 'demo', '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0 && r.status !== 1) fail(`memprof demo exited ${r.status ?? r.signal}`);
} else {
  // An earlier run: render its page again with this build.
  const r = spawnSync(process.execPath, [BIN, 'report', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) fail(`memprof report ${dir} exited ${r.status}`);
}
const page = path.join(dir, 'report.html');

/** The top of the page at desktop width: the verdict and memory over time. */
const SHOTS = [{ file: 'report.png', width: 1280, height: 1500 }];

mkdirSync(IMAGES, { recursive: true });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  for (const shot of SHOTS) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, deviceScaleFactor: 1 });
    // The page must need nothing from the network; refuse anything it asks for.
    const url = pathToFileURL(page).href;
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const tab = await context.newPage();
    await tab.goto(url);
    await tab.waitForSelector('html[data-charts-ready]');
    const out = path.join(IMAGES, shot.file);
    await tab.screenshot({ path: out });
    await context.close();
    process.stderr.write(`screenshots: wrote ${path.relative(ROOT, out)}\n`);
  }
} finally {
  await browser.close();
}
