import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { livingGroupMembers } from '../../src/profile/target-process.js';
import { memprof, ROOT } from '../helpers.js';
import { alive, tempDir } from './helpers.js';

/** The stdio fixture: one McpServer on the SDK's StdioServerTransport. */
const STDIO_FIXTURE = path.join(ROOT, 'fixtures', 'mcp-stdio-server.mjs');

/** What the fixture writes to STATUS_FILE when it is stopped (see its header). */
interface FixtureStatus {
  calls: number;
  kept: number;
  bytesPerCall: number | null;
  firstText: string | null;
  lastText: string | null;
  noiseLines: number;
}

interface StdioLoad {
  transport?: string;
  requests: number;
  errorsByKind: Record<string, number>;
  nonProtocolLines?: { count: number; first: string[] };
}

function runStdio(mode: string, args: string[], env: Record<string, string> = {}, timeoutMs = 150_000) {
  const out = tempDir('memprof-stdio-');
  const statusFile = path.join(out, 'fixture-status.json');
  const r = memprof(['run', '--stdio', ...args, '--out', out, '--', process.execPath, STDIO_FIXTURE, '--mode', mode], {
    env: { STATUS_FILE: statusFile, ...env },
    timeoutMs,
  });
  const reportPath = path.join(out, 'report.json');
  const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as Report) : null;
  const status = existsSync(statusFile) ? (JSON.parse(readFileSync(statusFile, 'utf8')) as FixtureStatus) : null;
  return { r, out, report, status, load: report?.load as unknown as StdioLoad | undefined };
}

/** The server and everything in its process group are gone. */
function nothingLeft(report: Report): void {
  const pid = report.target.pid!;
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(false);
  expect(livingGroupMembers(pid)).toEqual([]);
}

/** The last line on stderr is the one error line; no stack trace before it. */
function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
  return lines[lines.length - 1];
}

describe('memprof run --stdio against the stdio fixture', () => {
  it('leaky: the request history is named as the leak, with bytes per request within 20 % of what the server keeps per call (or within its stated 2σ band)', () => {
    const { r, report, status, load } = runStdio('leaky', ['--msg-rate', '50', '--hold', '30s', '--args', '{"text":"call {{n}}"}']);
    expect(r.status, r.stderr).toBe(1);
    expect(report).not.toBeNull();
    expect(status).not.toBeNull();
    // Every call was kept, and {{n}} numbered them: the warm-up's and the measured ones, in order.
    expect(status!.kept).toBe(status!.calls);
    expect(status!.firstText).toBe('call 1');
    expect(status!.lastText).toBe(`call ${status!.calls}`);

    const leaks = report!.leaks!;
    const described = JSON.stringify(leaks.map((l) => [l.name, l.count, l.path.join(' > ')]));
    const history = leaks.find((l) => l.path.includes('requestHistory'));
    expect(history, described).toBeDefined();
    // The entries created after the baseline (the warm-up's were there before it) and still held.
    expect(history!.name).toMatch(/tool, args, payload\}$/);
    expect(history!.count).toBeGreaterThan(load!.requests * 0.9);
    expect(history!.count).toBeLessThanOrEqual(status!.calls);
    expect(report!.checks.find((c) => c.id === 'leaks.length')?.status).toBe('fail');

    // Bytes per request against the server's own figure (heap with and without its history, after full GCs).
    const truth = status!.bytesPerCall!;
    expect(truth).toBeGreaterThan(1024);
    const measured = report!.growth.bytesPerRequest!;
    // Within 20 %, or within the 2σ band memprof states for it (a loaded CI runner widens it).
    const fit = report!.growth.steadyFit!;
    const band = (2 * fit.stdErrBytesPerHour! * (fit.windowSec! / 3600)) / report!.growth.requestsInWindow!;
    expect(Math.abs(measured - truth), `measured ${measured} ± ${band} B per request (2σ), the server keeps ${truth}`).toBeLessThan(Math.max(0.2 * truth, band));
    expect(report!.growth.requestsInWindow).toBeGreaterThan(500);
    expect(report!.checks.find((c) => c.id === 'growth.steadyBytesPerHour')?.status).toBe('fail');

    // One session per process: the per-connection section is absent and says why.
    expect(report!.connections).toBeUndefined();
    expect(report!.notes?.connections).toMatch(/^one session per process \(stdio\)/);
    expect(load).toMatchObject({ transport: 'stdio', errorsByKind: {}, nonProtocolLines: { count: 0, first: [] } });
    expect(r.stdout).toMatch(/per request +\+[\d.]+ (B|KiB) ± \d+ B kept per request/);
    expect(r.stdout).toMatch(/retained by: .*requestHistory/);
    nothingLeft(report!);
  }, 160_000);

  it('demo --stdio: the documented scenario on the clean fixture: no leak, steady growth not failed, nothing on stdout but JSON-RPC', () => {
    const cwd = tempDir('memprof-stdio-demo-');
    const r = memprof(['demo', '--stdio'], { cwd, timeoutMs: 150_000 });
    const out = path.join(cwd, 'memprof-demo');
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    const load = report.load as unknown as StdioLoad;
    expect(r.stderr).toMatch(/demo: starting the bundled MCP stdio server .*clean mode/);
    expect(report.target.command).toMatch(/mcp-stdio-server\.mjs --mode clean$/);
    // The exit code is the checklist's.
    expect(r.status, r.stderr).toBe(report.checks.some((c) => !c.pass) ? 1 : 0);
    expect(report!.leaks, JSON.stringify(report!.leaks)).toEqual([]);
    const growth = report!.checks.find((c) => c.id === 'growth.steadyBytesPerHour')!;
    expect(growth.status, JSON.stringify(growth)).not.toBe('fail');
    // A clean server keeps nothing per request: bytes per request is noise next to the leaky one's 1 KiB.
    expect(Math.abs(report!.growth.bytesPerRequest!)).toBeLessThan(100);
    expect(report!.growth.steadyFit!.n).toBeGreaterThanOrEqual(10);
    expect(load!.requests).toBeGreaterThan(2000);
    expect(load!.errorsByKind).toEqual({});
    expect(load!.nonProtocolLines).toEqual({ count: 0, first: [] });
    const log = readFileSync(path.join(out, 'target.log'), 'utf8');
    expect(log).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/mcp-stdio-server: ready \(mode clean/);
    expect(log).not.toMatch(/"jsonrpc"/);
    nothingLeft(report!);
  }, 160_000);

  it('a server that exits mid-run: exit 2 with one line, report.json of what was measured, nothing left running', () => {
    const { r, report, status, load } = runStdio('exit', ['--msg-rate', '20', '--hold', '30s', '--no-warmup', '--snapshots', '0'], { EXIT_AFTER: '80' });
    expect(r.status, r.stderr).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/the target went away during the run .*written to .*report\.json; see .*target\.log/);
    expect(status).toBeNull(); // it exited on its own, not by memprof's SIGTERM
    expect(report).not.toBeNull();
    expect(report!.notes?.run).toBeDefined();
    expect(load!.requests).toBeGreaterThanOrEqual(70);
    expect(load!.requests).toBeLessThan(80);
    nothingLeft(report!);
  }, 90_000);

  it('a server that starts answering with something that is not JSON-RPC: exit 2 with one line, the lines counted and shown', () => {
    const { r, report, load } = runStdio('garbage', ['--msg-rate', '20', '--hold', '30s', '--no-warmup', '--snapshots', '0'], { GARBAGE_AFTER: '60' });
    expect(r.status, r.stderr).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/answered with 20 lines in a row on stdout that are not JSON-RPC .*what was measured before is in .*report\.json/);
    expect(load!.nonProtocolLines!.count).toBe(20);
    expect(load!.nonProtocolLines!.first[0]).toBe('<html><body>502 Bad Gateway</body></html>');
    // Calls 1-59 were answered, unless one still in the server's hands when call 60 arrived was answered with garbage too.
    expect(load!.requests).toBeLessThanOrEqual(59);
    expect(load!.requests).toBeGreaterThanOrEqual(50);
    expect(r.stdout).toMatch(/stdout +20 lines not JSON-RPC/);
    nothingLeft(report!);
  }, 90_000);

  it('counts and shows what a server prints on stdout besides JSON-RPC, and goes on', () => {
    const { r, report, status, load } = runStdio('noisy', ['--msg-rate', '40', '--hold', '4s', '--no-warmup', '--snapshots', '0'], { NOISE_EVERY: '25' });
    expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
    expect(status!.noiseLines).toBe(1 + Math.floor(status!.calls / 25));
    expect(load!.nonProtocolLines!.count).toBe(status!.noiseLines);
    expect(load!.nonProtocolLines!.first.slice(0, 2)).toEqual(['mcp-stdio-server: starting', 'mcp-stdio-server: 25 calls so far']);
    expect(load!.errorsByKind).toEqual({});
    expect(r.stdout).toMatch(/stdout +\d+ lines not JSON-RPC[^\n]*first:\n +"mcp-stdio-server: starting"/);
    nothingLeft(report!);
  }, 90_000);

  it('refuses what does not apply to a stdio server, before starting anything', () => {
    for (const [flags, named] of [
      [['--mcp', 'http://127.0.0.1:1/mcp'], '--mcp'],
      [['--ramp', '10,20'], '--ramp'],
      [['--rate', '5'], '--rate'],
      [['--churn'], '--churn'],
      [['--sse'], '--sse'],
      [['--duration', '5s'], '--duration'],
    ] as const) {
      const r = memprof(['run', '--stdio', ...flags, '--', process.execPath, '-e', 'process.exit(9)']);
      expect(r.status, `${flags.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`${named} does not apply with --stdio`);
    }
  });

  it('exits 2 with one line when CMD never answers initialize, and stops it', () => {
    const out = tempDir('memprof-stdio-');
    const r = memprof(['run', '--stdio', '--startup-timeout', '2s', '--out', out, '--', process.execPath, '-e', 'console.error(process.pid); setInterval(() => {}, 1000)']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/did not answer initialize on its stdin within 2 s \(--startup-timeout\).*target\.log/);
    const pid = Number(/^(\d+)$/m.exec(readFileSync(path.join(out, 'target.log'), 'utf8'))![1]);
    expect(alive(pid)).toBe(false);
  });
});

describe('memprof load --stdio', () => {
  it('calls a tool whose schema has required fields of every type with default arguments the server accepts', () => {
    const r = memprof(['load', '--stdio', '--tool', 'record', '--msg-rate', '20', '--hold', '2s', '--json', '--', process.execPath, STDIO_FIXTURE, '--mode', 'clean']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as StdioLoad & { tool: string; schema: string };
    expect(summary.schema).toBe('memprof/load@1');
    expect(summary.tool).toBe('record');
    expect(summary.requests).toBeGreaterThan(20);
    // The SDK validates the arguments against the tool's zod schema: any invalid one is a tool_error.
    expect(summary.errorsByKind).toEqual({});
    // And it does reject: arguments that miss the schema are counted as such.
    const bad = memprof(['load', '--stdio', '--tool', 'record', '--args', '{"name":"A"}', '--msg-rate', '20', '--hold', '1s', '--json', '--', process.execPath, STDIO_FIXTURE, '--mode', 'clean']);
    const badSummary = JSON.parse(bad.stdout) as StdioLoad;
    expect(badSummary.errorsByKind.tool_error).toBe(badSummary.requests);
  });

  it('needs a command with --stdio, and takes none without', () => {
    const a = memprof(['load', '--stdio']);
    expect(a.status).toBe(2);
    expect(a.stderr.trim()).toMatch(/load --stdio needs the server to start after --/);
    const b = memprof(['load', '--mcp', 'http://127.0.0.1:1/mcp', '--', 'node', 'x.js']);
    expect(b.status).toBe(2);
    expect(b.stderr.trim()).toMatch(/load takes a command only with --stdio/);
  });
});
