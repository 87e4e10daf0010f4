import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium (CI installs it in .ci/run), or CHROMIUM_PATH. Null when there is none. */
export function findChromium(): string | null {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p)) ?? null;
}

export async function launch(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

export interface Opened {
  page: Page;
  /** console errors and warnings, and uncaught exceptions. */
  errors: string[];
  /** Every URL the page asked for beyond the file itself (all were refused). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Opens an HTML file in a fresh context where every request but the file itself is refused and
 * recorded, and console errors are collected. Waits for the page's charts when JavaScript is on.
 */
export async function openReport(browser: Browser, file: string, opts: { width: number; javaScript?: boolean }): Promise<Opened> {
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: opts.width, height: 900 }, javaScriptEnabled: opts.javaScript ?? true });
  const errors: string[] = [];
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  if (opts.javaScript ?? true) await page.waitForSelector('html[data-charts-ready]', { timeout: 10_000 });
  return { page, errors, requests, close: () => context.close() };
}
