import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprofAsync, startFixture, status, tempDir, type Fixture } from './helpers.js';

/** Leak hunting: two ramp steps, 3 snapshots (before the load, at the top, after the sessions closed). */
const LEAK_SCENARIO = ['--ramp', '10,20', '--no-warmup', '--interval', '500ms', '--snapshots', '3'];
/** The clean server also gets tool traffic and a hold, for its steady state. */
/** A pool warmed up before the baseline: the measured sessions reuse its states. */
const POOLED_SCENARIO = ['--ramp', '10,20', '--warmup', '--interval', '500ms', '--snapshots', '3'];
const STEADY_SCENARIO = ['--ramp', '10,20', '--msg-rate', '5', '--hold', '8s', '--interval', '250ms', '--snapshots', '3'];
/** What the caching fixture keeps per call in accuracy.test.ts. */
const CACHE_BYTES = 8192;

async function profileFixture(mode: 'clean' | 'leaky' | 'pooled', scenario: string[], fixtures: Fixture[]): Promise<{ report: Report; archived: number }> {
  const fx = await startFixture(mode);
  fixtures.push(fx);
  const out = tempDir();
  const m = memprofAsync(['profile', '--target', fx.wsUrl, '--mcp', fx.mcpUrl, ...scenario, '--out', out]);
  const done = await m.done;
  // The checklist's verdict (0 or 1); the tests below judge the figures themselves.
  expect([0, 1], m.stderr()).toContain(done.code);
  const s = await status(fx.statusUrl);
  return { report: JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report, archived: (s as unknown as { archivedSessions: number }).archivedSessions };
}

describe('leaks and steady state against the fixture server', () => {
  const fixtures: Fixture[] = [];
  afterAll(async () => {
    for (const f of fixtures) await f.target.stop(2000);
  });

  it('flags the leaky server: its closed sessions stay reachable from sessionArchive', async () => {
    const { report, archived } = await profileFixture('leaky', LEAK_SCENARIO, fixtures);
    expect(archived).toBe(20);
    expect(report.leaks, JSON.stringify(report.notes)).not.toBeNull();
    expect(report.leaks!.length).toBeGreaterThan(0);
    const groups = JSON.stringify(report.leaks!.map((l) => [l.name, l.count, l.retainedSize, l.path.join(' > ')]));
    // The largest group is the sessions themselves, one per archived session, held through the
    // module-level array (though each is now inside an archive entry created after TARGET).
    const [top] = report.leaks!;
    expect(top.path, groups).toContain('sessionArchive');
    expect(top.path.at(-1), groups).toBe(top.name);
    expect(top.name).toMatch(/^\{id, transport, server, /);
    expect(top.count, groups).toBe(archived);
    // The fixture's header: roughly 33 KiB per session.
    expect(top.retainedSize).toBeGreaterThan(archived * 20_000);
    expect(top.retainedSize).toBeLessThan(archived * 100_000);
    expect(report.checks.find((c) => c.id === 'leaks.length')?.pass).toBe(false);
  });

  it('does not flag the clean server, and reads its steady state as flat', async () => {
    const { report } = await profileFixture('clean', STEADY_SCENARIO, fixtures);
    expect(report.leaks).not.toBeNull();
    // Nothing of a session outlives it, and Node's own caches filled during the load (the HTTP
    // parser free list, internalized strings, timer lists), the SDK's lazily built validators and
    // memprof's agent in the target are not leaks.
    expect(report.leaks, JSON.stringify(report.leaks!.map((l) => [l.name, l.count, l.path.join(' > ')]))).toEqual([]);
    // Flat, against what the same traffic would cost a server that kept CACHE_BYTES per call:
    // the clean server keeps only a call counter per session.
    const perHourIfCaching = report.load!.msgPerSec! * CACHE_BYTES * 3600;
    expect(perHourIfCaching).toBeGreaterThan(100 * 1024 * 1024);
    const steady = report.growth.steadyBytesPerHour!;
    const fit = report.growth.steadyFit!;
    expect(fit.n).toBeGreaterThanOrEqual(3);
    // Flat: a tenth of the caching rate at most, or indistinguishable from 0 by the fit's own error.
    const flat = Math.abs(steady) < 0.1 * perHourIfCaching || Math.abs(steady) < 3 * fit.stdErrBytesPerHour!;
    expect(flat, `steady ${steady} B/h ± ${fit.stdErrBytesPerHour} over ${fit.n} points; caching would read ${perHourIfCaching} B/h`).toBe(true);
    expect(report.connections!.retained!.count).toBe(20);
  });

  it('does not flag the states a warmed-up pool keeps for reuse', async () => {
    const { report } = await profileFixture('pooled', POOLED_SCENARIO, fixtures);
    expect(report.pools[0]?.reused).toBeGreaterThan(0);
    expect(report.leaks, JSON.stringify(report.leaks?.map((l) => [l.name, l.count, l.path.join(' > ')]))).toEqual([]);
  });
});
