import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { installNodeVersions } from '../node-versions.js';
import { memprofAsync, startFixture, status, tempDir, type Fixture } from './helpers.js';

/**
 * Growth and leaks with no heap snapshot (issue 10): full snapshots off, V8's sampling heap
 * profiler on by default, a short hold with tool traffic. The two servers run side by side, on
 * the newest Node and on the oldest LTS after the one memprof runs on (node-versions.ts installs
 * them from the npm registry), so each V8's sampling profile is read end to end.
 */
const NODE_OF = { caching: 26, clean: 22 } as const;
const SCENARIO = ['--ramp', '15,30', '--msg-rate', '4', '--hold', '10s', '--settle', '2s', '--interval', '500ms', '--snapshots', '0'];
/** What the caching fixture keeps per call: large enough for many samples in a short window. */
const CACHE_BYTES = 16384;

let nodes: Map<number, string>;
beforeAll(async () => {
  nodes = await installNodeVersions(Object.values(NODE_OF));
}, 900_000);

async function profile(mode: 'caching' | 'clean', fixtures: Fixture[]): Promise<{ report: Report; out: string; stdout: string; toolCalls: number }> {
  const fx = await startFixture(mode, { env: { CACHE_BYTES: String(CACHE_BYTES) }, node: nodes.get(NODE_OF[mode]) });
  fixtures.push(fx);
  const out = tempDir();
  const m = memprofAsync(['profile', '--target', fx.wsUrl, '--mcp', fx.mcpUrl, ...SCENARIO, '--out', out]);
  const done = await m.done;
  expect([0, 1], m.stderr()).toContain(done.code);
  expect(m.stderr()).toContain('sampling heap profiler on (one sample per 32 KiB allocated): no full heap snapshot in this run (--snapshots 0)');
  const s = (await status(fx.statusUrl)) as unknown as { toolCalls: number };
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  expect(report.target.nodeVersion).toMatch(new RegExp(`^v${NODE_OF[mode]}\\.`));
  return { report, out, stdout: m.stdout(), toolCalls: s.toolCalls };
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
    const shown = JSON.stringify(report.leaks!.map((l) => [l.name, l.growthBytes, l.bytesPerRequest, l.path[0]]));
    const [top] = report.leaks!;
    expect(top.kind, shown).toBe('allocation-site');
    // replyPayload() makes the CACHE_BYTES string the unbounded Map keeps, called by callTool(),
    // which stores it. V8's sampling profiler does not expand inlined frames: once an optimising
    // tier inlines replyPayload into callTool (Node 26's Maglev does), its allocations are callTool's.
    const ours = report.leaks!.filter((l) => l.site?.url.endsWith('fixtures/mcp-server.mjs'));
    expect(['replyPayload', 'callTool'], shown).toContain(top.site?.functionName);
    expect(ours.map((l) => l.name).every((n) => n === 'replyPayload' || n === 'callTool'), shown).toBe(true);
    expect(top.stack?.map((f) => f.functionName)).toContain('callTool');
    expect(top.outlivesSessions).toBe(true);
    // One CACHE_BYTES string per answered call (a sampled estimate: within a factor of two).
    const perRequest = ours.reduce((n, l) => n + (l.bytesPerRequest ?? 0), 0);
    expect(perRequest, shown).toBeGreaterThan(CACHE_BYTES / 2);
    expect(perRequest, shown).toBeLessThan(CACHE_BYTES * 2);
    expect(top.bytesPerHour).toBeGreaterThan(0);
    expect(toolCalls).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.id === 'leaks.length')?.pass).toBe(false);
    expect(report.notes?.leaks).toMatch(/^found without a heap snapshot: V8's sampling heap profiler/);
    // The text report names the site and its caller.
    expect(stdout).toContain(`allocated in ${top.site!.functionName} (${top.site!.url.replace(/^file:\/\//, '')}:${top.site!.line}:${top.site!.column})`);
    expect(stdout).toMatch(/called from: .*\(.*fixtures\/mcp-server\.mjs:\d+:\d+\)/);
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
