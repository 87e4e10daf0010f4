import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprofAsync, startFixture, status, tempDir, type Fixture } from './helpers.js';

/**
 * Growth and leaks with no heap snapshot (issue 10): full snapshots off, V8's sampling heap
 * profiler on by default, a short hold with tool traffic. The two servers run side by side.
 */
const SCENARIO = ['--ramp', '20,40', '--msg-rate', '4', '--hold', '12s', '--settle', '3s', '--interval', '500ms', '--snapshots', '0'];
/** What the caching fixture keeps per call: large enough for many samples in a short window. */
const CACHE_BYTES = 16384;

async function profile(mode: 'caching' | 'clean', fixtures: Fixture[]): Promise<{ report: Report; out: string; stdout: string; toolCalls: number }> {
  const fx = await startFixture(mode, { env: { CACHE_BYTES: String(CACHE_BYTES) } });
  fixtures.push(fx);
  const out = tempDir();
  const m = memprofAsync(['profile', '--target', fx.wsUrl, '--mcp', fx.mcpUrl, ...SCENARIO, '--out', out]);
  const done = await m.done;
  expect([0, 1], m.stderr()).toContain(done.code);
  expect(m.stderr()).toContain('sampling heap profiler on (one sample per 32 KiB allocated): no full heap snapshot in this run (--snapshots 0)');
  const s = (await status(fx.statusUrl)) as unknown as { toolCalls: number };
  return { report: JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report, out, stdout: m.stdout(), toolCalls: s.toolCalls };
}

describe('leaks found by the sampling heap profiler, with no heap snapshot', () => {
  const fixtures: Fixture[] = [];
  afterAll(async () => {
    for (const f of fixtures) await f.target.stop(2000);
  });

  it.concurrent('names the function that allocates what the caching server keeps, with its rates', async () => {
    const { report, out, stdout, toolCalls } = await profile('caching', fixtures);
    expect(readdirSync(out).filter((f) => f.includes('heapsnapshot'))).toEqual([]);
    expect(report.leaks, JSON.stringify(report.notes)).toEqual(expect.any(Array));
    const shown = JSON.stringify(report.leaks!.map((l) => [l.name, l.growthBytes, l.path[0]]));
    const [top] = report.leaks!;
    expect(top.kind, shown).toBe('allocation-site');
    // replyPayload() makes the CACHE_BYTES string the unbounded Map keeps; callTool() stores it.
    expect(top.site?.functionName, shown).toBe('replyPayload');
    expect(top.site?.url).toMatch(/fixtures\/mcp-server\.mjs$/);
    expect(top.stack?.map((f) => f.functionName)).toContain('callTool');
    expect(top.outlivesSessions).toBe(true);
    // One CACHE_BYTES string per answered call (a sampled estimate: within a factor of two).
    expect(top.bytesPerRequest).toBeGreaterThan(CACHE_BYTES / 2);
    expect(top.bytesPerRequest).toBeLessThan(CACHE_BYTES * 2);
    expect(top.bytesPerHour).toBeGreaterThan(0);
    expect(toolCalls).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.id === 'leaks.length')?.pass).toBe(false);
    expect(report.notes?.leaks).toMatch(/^found without a heap snapshot: V8's sampling heap profiler/);
    // The text report names the site and its caller.
    expect(stdout).toMatch(/allocated in replyPayload \(.*fixtures\/mcp-server\.mjs:\d+:\d+\)/);
    expect(stdout).toMatch(/called from: callTool \(/);
    // Per-session composition, by allocation site, with no snapshot.
    const sites = report.connections?.sessionSites;
    expect(sites?.method).toBe('sampling');
    expect(sites?.n).toBe(3);
    expect(sites!.bytesPerSession).toBeGreaterThan(0);
    expect(sites!.sites.length).toBeGreaterThan(0);
    // What was sampled is kept, readable by its owner only.
    const file = path.join(out, 'allocation-sites.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.concurrent('finds no leak in the clean server', async () => {
    const { report } = await profile('clean', fixtures);
    expect(report.leaks, JSON.stringify(report.leaks?.map((l) => [l.name, l.growthBytes, l.path.slice(0, 3)]))).toEqual([]);
    expect(report.checks.find((c) => c.id === 'leaks.length')?.pass).toBe(true);
    expect(report.connections?.sessionSites?.sites.length).toBeGreaterThan(0);
  });
});
