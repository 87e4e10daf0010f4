import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { ROOT } from '../helpers.js';

/**
 * Real Chromium for the browser tests: Debian's `chromium` package, driven by playwright-core.
 * Tests skip (saying why) only when no binary exists; CI installs the package.
 */
export const CHROMIUM = process.env.MEMPROF_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const NO_CHROMIUM = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set MEMPROF_CHROMIUM)`;

/** Flags a headless Chromium needs in a container run as root. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

/** The pages under fixtures/browser/, served from a made-up origin so scripts have real URLs. */
export const ORIGIN = 'http://memprof.test';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A page serving fixtures/browser/ at ORIGIN. */
export async function fixturePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const file = join(ROOT, 'fixtures/browser', new URL(route.request().url()).pathname.slice(1));
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.js') ? 'text/javascript' : 'text/html';
    return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
  });
  return page;
}

/** Takes a heap snapshot of `page` through its own CDP session and writes it to `file`. */
export async function snapshotPage(cdp: CDPSession, file: string): Promise<void> {
  const chunks: string[] = [];
  const onChunk = (p: { chunk: string }): void => {
    chunks.push(p.chunk);
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  writeFileSync(file, chunks.join(''), { mode: 0o600 });
}

/**
 * The three snapshots of the leak method on fixtures/browser/leaky-page.html: BASELINE after one
 * warm-up round (first use builds the browser's own caches), TARGET after adding `rows` rows of
 * each kind, FINAL after removing them. `clean` runs the page that lets go of what it removes.
 */
export async function leakSnapshots(browser: Browser, dir: string, opts: { clean: boolean; rows?: number }): Promise<[string, string, string]> {
  const page = await fixturePage(browser);
  const rows = opts.rows ?? 40;
  try {
    await page.goto(`${ORIGIN}/leaky-page.html${opts.clean ? '?clean' : ''}`);
    // The page's own API (fixtures/browser/leaky-app.js), called as a test script would.
    await page.evaluate('app.addRows(2); app.removeRows()');
    const cdp = await page.context().newCDPSession(page);
    const files = ['baseline', 'target', 'final'].map((s) => join(dir, `${opts.clean ? 'clean' : 'leaky'}-${s}.heapsnapshot`)) as [string, string, string];
    await snapshotPage(cdp, files[0]);
    await page.evaluate(`app.addRows(${rows})`);
    await snapshotPage(cdp, files[1]);
    await page.evaluate('app.removeRows()');
    await snapshotPage(cdp, files[2]);
    await cdp.detach();
    return files;
  } finally {
    await page.close();
  }
}
