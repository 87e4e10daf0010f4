import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { livingGroupMembers } from '../../src/profile/target-process.js';
import { memprof } from '../helpers.js';
import { alive, tempDir } from '../e2e/helpers.js';

describe('memprof demo', () => {
  it('runs the whole job on the bundled fixture, leaves nothing running, exits with the checklist’s verdict', () => {
    const cwd = tempDir('memprof-demo-');
    const r = memprof(['demo'], { cwd, timeoutMs: 150_000 });
    const out = path.join(cwd, 'memprof-demo');
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;

    const failed = report.checks.filter((c) => !c.pass);
    expect(r.status, r.stderr).toBe(failed.length > 0 ? 1 : 0);
    expect(r.stdout).toMatch(/Memory per connection[\s\S]*Pools[\s\S]*Checklist/);

    expect(report.connections!.steps.map((s) => s.connections)).toEqual([100, 250, 500]);
    expect(report.connections!.marginalBytesPerConnection).toBeGreaterThan(1000);
    expect(report.connections!.retained!.count).toBe(500);
    expect(report.pools.map((p) => p.name)).toEqual(['session-state']);
    // Warm-up created the pool's states; the measured ramp and the churn reuse them.
    expect(report.notes?.warmup).toMatch(/^before measuring \(--warmup\): 500 sessions opened and closed/);
    const pool = report.pools[0];
    expect(pool.peakInUse).toBeGreaterThanOrEqual(500);
    expect(pool.created).toBe(pool.peakInUse);
    const created = pool.created!;
    const load = report.load as unknown as { sessionsOpened: number };
    expect(load.sessionsOpened).toBeGreaterThan(500); // the hold replaced sessions (--churn)
    // Every session is an acquire: 500 in the warm-up plus those measured; all but the created were reuses.
    expect(pool.reused).toBe(500 + load.sessionsOpened - created);
    expect(report.notes?.pools).toMatch(/include the warm-up traffic/);
    // Steady growth: the quiet tail gives forced-GC samples; the check row shows the 2σ band and
    // is decided on it.
    expect(report.growth.steadyBytesPerHour).not.toBeNull();
    expect(report.growth.steadyFit!.n).toBeGreaterThanOrEqual(10);
    const growthRow = report.checks.find((c) => c.id === 'growth.steadyBytesPerHour')!;
    expect(growthRow.stdErr).toBe(report.growth.steadyFit!.stdErrBytesPerHour);
    expect(r.stdout).toMatch(/growth\.steadyBytesPerHour +-?[\d.]+ \S+\/h ± [\d.]+ \S+\/h \(2σ\)/);
    expect(Array.isArray(report.leaks)).toBe(true);
    expect(report.load!.connectPerSec).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.heapsnapshot'))).toHaveLength(3);

    const serverPid = report.target.pid!;
    expect(alive(serverPid)).toBe(false);
    expect(livingGroupMembers(serverPid)).toEqual([]);
  }, 160_000);
});
