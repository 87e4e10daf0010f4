#!/usr/bin/env node
/**
 * Captures the live dashboard for the README: runs `memprof run` on the bundled MCP fixture inside
 * tmux (a real terminal: stderr a TTY, CI unset), waits for two moments (the settled window with
 * its growth estimate, then a snapshot freezing the target), lets the run end, and writes each
 * moment to docs/images/ as text (capture-pane) and, when Chromium is installed, as a PNG (the
 * ANSI colours rendered as HTML, screenshotted headless).
 *
 *   npm run build && node scripts/capture-dashboard.mjs [--out docs/images] [--chromium PATH]
 *
 * Rerunnable: it overwrites its own files and leaves nothing running.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const outDir = path.resolve(opt('--out', path.join(ROOT, 'docs', 'images')));
const chromium = opt('--chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)));
const COLS = 100;
const ROWS = 16;

const socket = `memprof-capture-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

async function main() {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'memprof-capture-'));
  const memprof = [
    process.execPath, path.join(ROOT, 'bin', 'memprof.js'), 'run', '--mcp', 'http://127.0.0.1:0/mcp',
    '--ramp', '50,100,150', '--msg-rate', '2', '--hold', '40s', '--settle', '5s', '--snapshots', '1', '--interval', '500ms',
    '--out', path.join(work, 'run'), '--', process.execPath, path.join(ROOT, 'fixtures', 'mcp-server.mjs'), '--mode', 'pooled',
  ];
  const command = `cd ${q(ROOT)} && env -u CI -u NO_COLOR TERM=xterm-256color ${memprof.map(q).join(' ')} > /dev/null; echo memprof-exit=$?; sleep 600`;
  tmux('new-session', '-d', '-s', 'main', '-x', String(COLS), '-y', String(ROWS), command);
  try {
    const window = await waitFor(/^growth\s+[+-][\d.]+ \w+\/h ± .* steady \((?:[89]|1\d) points\)/m, 150_000);
    save('dashboard', window);
    const frozen = await waitFor(/target frozen: writing snapshot 1\/1 \([1-9]/m, 120_000);
    save('dashboard-snapshot', frozen);
    // That snapshot is the window's last point: the run then closes its sessions and ends by itself
    // (the pane may close with it: its end is all this waits for).
    await waitFor(/memprof-exit=\d+/m, 180_000).catch((err) => {
      if (!/no server running/.test(String(err.stderr ?? err.message))) throw err;
    });
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/** Polls the screen until `re` matches; returns the screen with its escapes. */
async function waitFor(re, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const plain = tmux('capture-pane', '-p', '-t', 'main');
    if (re.test(plain)) return tmux('capture-pane', '-p', '-e', '-t', 'main');
    if (Date.now() > end) throw new Error(`capture-dashboard: not seen within ${timeoutMs / 1000} s: ${re}\n${plain}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function save(name, ansi) {
  // eslint-disable-next-line no-control-regex -- the terminal's escapes are what is parsed here
  const text = ansi.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+$/, '') + '\n';
  writeFileSync(path.join(outDir, `${name}.txt`), text);
  process.stderr.write(`capture-dashboard: wrote ${path.join(outDir, `${name}.txt`)}\n`);
  if (!chromium) {
    process.stderr.write('capture-dashboard: no Chromium found (--chromium PATH): text only\n');
    return;
  }
  const html = path.join(tmpdir(), `memprof-${name}-${process.pid}.html`);
  writeFileSync(html, toHtml(ansi));
  const png = path.join(outDir, `${name}.png`);
  const lines = ansi.replace(/\s+$/, '').split('\n').length;
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${COLS * 9 + 40},${lines * 19 + 40}`, `--screenshot=${png}`, `file://${html}`], {
    encoding: 'utf8',
  });
  rmSync(html, { force: true });
  if (r.status !== 0 || !existsSync(png)) throw new Error(`capture-dashboard: chromium failed: ${r.stderr}`);
  process.stderr.write(`capture-dashboard: wrote ${png}\n`);
}

// The 16 colours of a dark terminal theme (xterm's defaults, softened).
const PALETTE = ['#2e3436', '#ef2929', '#8ae234', '#fce94f', '#729fcf', '#ad7fa8', '#34e2e2', '#d3d7cf', '#555753', '#ff6b6b', '#b5f774', '#fff77a', '#9bc2ef', '#d3a6cf', '#7ff7f7', '#ffffff'];

/** tmux's SGR escapes (colours 30–37, 90–97, 38;5;n, bold, dim, resets) as spans of HTML. */
function toHtml(ansi) {
  let style = { fg: null, bold: false, dim: false };
  let open = false;
  let body = '';
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // eslint-disable-next-line no-control-regex -- the terminal's escapes are what is parsed here
  for (const part of ansi.replace(/\s+$/, '').split(/(\x1b\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex -- the terminal's escapes are what is parsed here
    const m = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!m) {
      body += esc(part);
      continue;
    }
    const codes = m[1] === '' ? [0] : m[1].split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) style = { fg: null, bold: false, dim: false };
      else if (c === 1) style.bold = true;
      else if (c === 2) style.dim = true;
      else if (c === 22) style = { ...style, bold: false, dim: false };
      else if (c === 39) style.fg = null;
      else if (c >= 30 && c <= 37) style.fg = PALETTE[c - 30];
      else if (c >= 90 && c <= 97) style.fg = PALETTE[c - 90 + 8];
      else if (c === 38 && codes[i + 1] === 5) {
        style.fg = PALETTE[codes[i + 2]] ?? null;
        i += 2;
      }
    }
    if (open) body += '</span>';
    const css = [style.fg ? `color:${style.fg}` : '', style.bold ? 'font-weight:bold' : '', style.dim ? 'opacity:.6' : ''].filter(Boolean).join(';');
    body += `<span style="${css}">`;
    open = true;
  }
  if (open) body += '</span>';
  return `<!doctype html><meta charset="utf-8"><style>
html,body{margin:0;background:#1e1e1e}
pre{margin:0;padding:20px;color:#d3d7cf;font:15px/19px "DejaVu Sans Mono","Liberation Mono",monospace;white-space:pre}
</style><pre>${body}</pre>`;
}

await main();
