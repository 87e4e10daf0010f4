import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { livingGroupMembers } from '../../src/profile/target-process.js';
import { memprof } from '../helpers.js';
import { alive, tempDir } from '../e2e/helpers.js';

describe('memprof demo', () => {
  it('runs the whole job on the bundled (pooled, clean) fixture, passes every check, leaves nothing running, exits 0', () => {
    const cwd = tempDir('memprof-demo-');
    const r = memprof(['demo'], { cwd, timeoutMs: 240_000 });
    const out = path.join(cwd, 'memprof-demo');
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;

    const failed = report.checks.filter((c) => !c.pass);
    expect(failed, r.stdout).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    // The pool's reuse over the measured window (warm-up excluded): every state handed out was a released one.
    expect(report.pools.find((p) => p.name === 'session-state')?.reuseRatio).toBeGreaterThan(0.85);
    expect(r.stdout).toMatch(/Memory per connection[\s\S]*Leaks[\s\S]*Checklist/);
    // The HTML report beside report.json, its path printed (test/report/html-browser.test.ts opens one).
    expect(r.stderr).toContain(`memprof: HTML report: ${path.join('memprof-demo', 'report.html')}`);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/data-verdict="(pass|fail|inconclusive)"/);

    expect(report.connections!.steps.map((s) => s.connections)).toEqual([100, 200, 300]);
    expect(report.connections!.marginalBytesPerConnection).toBeGreaterThan(1000);
    // The snapshot at the window's end holds the top step's sessions.
    expect(report.connections!.retained!.count).toBeGreaterThanOrEqual(290);
    expect(report.notes?.warmup).toMatch(/^before measuring \(warm-up\): \d+ sessions opened and closed/);
    const load = report.load as unknown as { sessionsOpened: number };
    expect(load.sessionsOpened).toBeGreaterThan(300); // the hold replaced sessions (--churn)
    // Steady growth over the settled window, from still points; the check row shows the 2σ band.
    expect(report.growth.steadyFit!.quiesced).toBe(true);
    expect(report.growth.steadyFit!.n).toBeGreaterThanOrEqual(8);
    expect(report.growth.steadyFit!.settleSec).toBeGreaterThan(0);
    const growthRow = report.checks.find((c) => c.id === 'growth.steadyBytesPerHour')!;
    expect(growthRow.stdErr).toBe(report.growth.steadyFit!.stdErrBytesPerHour);
    expect(r.stdout).toMatch(/growth\.steadyBytesPerHour +-?[\d.]+ \S+\/h ± [\d.]+ \S+\/h \(2σ\)/);
    // The clean fixture keeps nothing: no leak group, and the program's own objects counted in the
    // window's three snapshots move by a few KiB at most (1 MiB/h is 12 KiB over the window).
    expect(report.leaks).toEqual([]);
    expect(report.growth.program!.bytes).toHaveLength(3);
    expect(Math.abs(report.growth.program!.bytesPerHour)).toBeLessThan(4 * 1024 * 1024);
    expect(report.load!.connectPerSec).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.heapsnapshot'))).toHaveLength(5);

    const serverPid = report.target.pid!;
    expect(alive(serverPid)).toBe(false);
    expect(livingGroupMembers(serverPid)).toEqual([]);
  }, 250_000);

  it('--leaky: the archived sessions are found, explained with their path and rates, and the demo exits 1', () => {
    const cwd = tempDir('memprof-demo-leaky-');
    const r = memprof(['demo', '--leaky'], { cwd, timeoutMs: 240_000 });
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(cwd, 'memprof-demo', 'report.json'), 'utf8')) as Report;
    const group = report.leaks!.find((l) => l.path.includes('sessionArchive'))!;
    expect(group, JSON.stringify(report.leaks)).toBeDefined();
    expect(group.kind).toBe('outlives-sessions');
    expect(group.bytesPerHour).toBeGreaterThan(1024 * 1024);
    // Counted in the window's snapshots, the program's objects grow by the archived sessions.
    expect(report.growth.program!.bytesPerHour).toBeGreaterThan(64 * 1024 * 1024);
    expect(group.bytesPerRequest).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.id === 'leaks.length')!.status).toBe('fail');
    expect(r.stdout).toMatch(/outlives the sessions[\s\S]*sessionArchive/);
    expect(livingGroupMembers(report.target.pid!)).toEqual([]);
  }, 250_000);
});
