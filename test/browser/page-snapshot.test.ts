import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, NO_CHROMIUM } from './chromium.js';

/**
 * `memprof snapshot --target HOST:PORT --page TEXT` against a real Chromium started as a user would
 * (`--remote-debugging-port`), with two pages open: one that keeps a removed element.
 */
if (!HAVE_CHROMIUM) console.warn(`skipping the live page snapshot tests: ${NO_CHROMIUM}`);

const PAGE = 'data:text/html,<title>memprof live page</title><p>live</p><script>window.kept = document.createElement("section")</script>';
let dir: string;
let chromium: ChildProcess | undefined;
let port = 0;

async function startChromium(): Promise<number> {
  chromium = spawn(CHROMIUM, ['--headless', ...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${join(dir, 'profile')}`, PAGE], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not open its debugging port: ${text.slice(-500)}`)), 60_000);
    chromium!.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    chromium!.once('exit', (code) => reject(new Error(`chromium exited ${code}: ${text.slice(-500)}`)));
  });
}

describe.skipIf(!HAVE_CHROMIUM)('memprof snapshot on a browser page', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'memprof-live-page-'));
    port = await startChromium();
    // A second page (headless takes one URL on the command line): now --page must choose.
    const res = await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: 'PUT' });
    expect(res.status).toBe(200);
  }, 90_000);
  afterAll(() => {
    chromium?.kill('SIGKILL');
    // Chromium's last writes into its profile may land while the directory is removed: retry.
    try {
      if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // Chromium's helper processes may still write into its profile: a temporary directory left behind is harmless.
    }
  });

  it('--page TEXT streams that page\'s snapshot to a file only the user can read; it is a real page heap', () => {
    const file = join(dir, 'live.heapsnapshot');
    const r = memprof(['snapshot', '--target', `127.0.0.1:${port}`, '--page', 'LIVE PAGE', '-o', file]);
    expect(r.stderr).toMatch(/^memprof: note: snapshotting page ".*memprof live page/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const out = JSON.parse(memprof(['inspect', file, '--json']).stdout);
    expect(out.classes.find((c: { name: string }) => c.name === 'Detached <section>')?.count).toBe(1);
    expect(out.detached.nodes).toBeGreaterThanOrEqual(1);
  });

  it('several pages and no --page, or a TEXT that matches several or none: one line listing the candidates, exit 2', () => {
    const target = `127.0.0.1:${port}`;
    const none = memprof(['snapshot', '--target', target, '-o', join(dir, 'x.heapsnapshot')]);
    expect(none.status).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain('has 2 pages; pick one with --page TEXT');
    expect(none.stderr).toContain('"memprof live page"');
    expect(none.stderr).toContain('about:blank');
    const two = memprof(['snapshot', '--target', target, '--page', 'a', '-o', join(dir, 'x.heapsnapshot')]);
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(/^memprof: 2 pages of the browser at 127\.0\.0\.1:\d+ match 'a'; make --page more precise: /);
    const missing = memprof(['snapshot', '--target', target, '--page', 'no such page']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^memprof: no page of the browser at .* has 'no such page' in its URL or title; its pages: /);
    // profile and run stay Node's: the browser's port is named for what it is.
    const profile = memprof(['profile', '--target', target, '--duration', '1s', '--out', join(dir, 'out')]);
    expect(profile.status).toBe(2);
    expect(profile.stderr).toContain("is a browser's remote debugging port");
  });

  it('a remote browser is refused without --allow-remote, before any connection', () => {
    const r = memprof(['snapshot', '--target', '192.0.2.1:9222', '--page', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^memprof: refusing to attach to non-loopback host '192\.0\.2\.1'/);
  });
});

describe('memprof snapshot --page on a Node.js inspector', () => {
  it('says the target is Node, not a browser: one line, exit 2', async () => {
    const node = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const nodePort = await new Promise<number>((resolve, reject) => {
        let text = '';
        node.stderr!.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
          if (m) resolve(Number(m[1]));
        });
        node.once('exit', (code) => reject(new Error(`node exited ${code}: ${text}`)));
      });
      const r = memprof(['snapshot', '--target', `127.0.0.1:${nodePort}`, '--page', 'x']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^memprof: 127\.0\.0\.1:\d+ is a Node\.js inspector, not a browser: --page picks a browser's page; leave it out\n$/);
    } finally {
      node.kill('SIGKILL');
    }
  });
});
