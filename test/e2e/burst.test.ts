import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprof } from '../helpers.js';
import { memprofAsync, startFixture, status, tempDir, type Fixture } from './helpers.js';

/**
 * Burst and recovery on the fixture: 10 base sessions with traffic, 40 extra sessions/s for 2 s,
 * then 3 s of still points. The clean server frees the burst's sessions when they are closed; the
 * keep-sessions server keeps every closed session "for resumption" (~40 KiB each).
 */
const SCENARIO = ['--ramp', '5,10', '--msg-rate', '4', '--burst', '40:2s', '--recovery', '3s', '--snapshots', '0', '--interval', '500ms', '--connections', '1000'];
const CHECKS = { checks: { 'burst.retainedBytes': '< 1.5MiB', 'burst.recoverySec': '< 30' } };

async function burstRun(mode: string, fixtures: Fixture[]): Promise<{ report: Report; code: number | null; resumable: number; dir: string; stderr: string }> {
  const fx = await startFixture(mode);
  fixtures.push(fx);
  const out = tempDir();
  const config = path.join(out, 'memprof.config.json');
  writeFileSync(config, JSON.stringify(CHECKS));
  // profile reads memprof.config.json from its working directory.
  const m = memprofAsync(['profile', '--target', fx.wsUrl, '--mcp', fx.mcpUrl, ...SCENARIO, '--out', out], { cwd: out });
  const done = await m.done;
  const s = (await status(fx.statusUrl)) as unknown as { resumableSessions: number };
  return { report: JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report, code: done.code, resumable: s.resumableSessions, dir: out, stderr: m.stderr() };
}

describe('burst and recovery', () => {
  const fixtures: Fixture[] = [];
  afterAll(async () => {
    for (const f of fixtures) await f.target.stop(2000);
  });
  // Both servers at once: the two runs share the machine's conditions and the wall time.
  const runs = (() => {
    let p: Promise<Awaited<ReturnType<typeof burstRun>>[]> | null = null;
    return () => (p ??= Promise.all([burstRun('clean', fixtures), burstRun('keep-sessions', fixtures)]));
  })();

  it('a clean server recovers: recovery time measured, little left behind', async () => {
    const [clean] = await runs();
    const b = clean.report.burst!;
    expect(b, clean.stderr).toBeDefined();
    expect(b.sessions.opened).toBeGreaterThan(10);
    expect(b.sessions.closed).toBe(b.sessions.opened);
    expect(b.before.heapUsedBytes).toBeGreaterThan(0);
    expect(b.peak.heapUsedBytes!).toBeGreaterThan(b.before.heapUsedBytes!);
    expect(b.points.length).toBeGreaterThanOrEqual(2);
    expect(b.recoverySec, JSON.stringify(clean.report.notes)).not.toBeNull();
    expect(b.recoverySec!).toBeGreaterThanOrEqual(0);
    expect(b.recoverySec!).toBeLessThanOrEqual(b.points.at(-1)!.sec);
    expect(Math.abs(b.retainedBytes!)).toBeLessThan(1.5 * 1024 * 1024);
    // Calls before the burst are the ramp's, which a quick ramp of 10 sessions may not leave time for.
    if (b.latencyMs.before.p50 !== null) expect(b.latencyMs.before.p50).toBeGreaterThan(0);
    expect(b.latencyMs.during.p50).not.toBeNull();
    expect(b.gc.minor.count + b.gc.major.count).toBeGreaterThanOrEqual(0);
    expect(clean.report.checks.map((c) => [c.id, c.status])).toEqual([
      ['burst.retainedBytes', 'pass'],
      ['burst.recoverySec', 'pass'],
    ]);
    expect(clean.code).toBe(0);
  });

  it('a server that keeps the burst sessions fails burst.retainedBytes', async () => {
    const [, keep] = await runs();
    const b = keep.report.burst!;
    // Every closed session is kept: the burst's at least, all of them by the end of the run.
    expect(keep.resumable).toBeGreaterThanOrEqual(b.sessions.opened);
    expect(b.retainedBytes!).toBeGreaterThan(b.sessions.opened * 15_000);
    expect(b.recoverySec).toBeNull();
    expect(keep.report.notes!['burst.recoverySec']).toMatch(/left memory behind|too short to decide/);
    const retained = keep.report.checks.find((c) => c.id === 'burst.retainedBytes')!;
    expect(retained.status).toBe('fail');
    expect(keep.code).toBe(1);
  });

  it('projects memory to --connections N: fixed + marginal x N, and the checklist can name it', async () => {
    const [clean] = await runs();
    const c = clean.report.connections!;
    const p = c.projected!;
    expect(p.connections).toBe(1000);
    expect(p.extrapolated).toBe(true);
    expect(p.heapBytes).toBeCloseTo(c.fixedBytes! + c.marginalBytesPerConnection! * 1000, 3);
    expect(p.rssBytes!).toBeCloseTo(c.rss!.fixedBytes + c.rss!.marginalBytesPerConnection * 1000, 3);
    expect(c.projectedBytes).toBe(p.rssBytes);
    const config = path.join(clean.dir, 'scale.json');
    writeFileSync(config, JSON.stringify({ checks: { 'connections.projectedBytes': '< 200GiB' } }));
    const ok = memprof(['check', path.join(clean.dir, 'report.json'), '--config', config]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/connections\.projectedBytes/);
  });
});
