import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { renderReport } from '../../src/report/report-text.js';
import type { Report } from '../../src/model/report.js';
import { sampleReport } from './sample-report.js';

function sectionOf(text: string, title: string): string {
  const start = text.indexOf(`\n${title}`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const next = text.slice(start + 1).search(/\n\n[A-Z]/);
  return next < 0 ? text.slice(start + 1) : text.slice(start + 1, start + 1 + next);
}

describe('renderReport', () => {
  const full = sampleReport((r) => {
    r.leaks = [{ name: 'Session', count: 500, retainedSize: 5 * 1024 * 1024, growthBytes: 2 * 1024 * 1024, path: ['(GC roots)', 'global', 'Window', 'sessions', 'Map', 'table', 'Session'] }];
    (r.connections as unknown as Record<string, unknown>).typicalSession = {
      class: 'StreamableHTTPServerTransport',
      retainedBytes: 28_500,
      holds: [{ name: 'Map', count: 3, retainedBytes: 12_000 }],
    };
    r.checks = evaluateChecks(r, defaultConfig());
  });
  const text = renderReport(full);

  it('has the origin report’s sections, in order', () => {
    const titles = ['Target', 'Memory per connection', 'Growth', 'Garbage collection', 'Pools', 'Leaks', 'Load', 'Checklist'];
    const positions = titles.map((t) => text.indexOf(`\n${t}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('shows every step with heap, RSS and the naive figure, then the fit, and explains the naive figure', () => {
    const s = sectionOf(text, 'Memory per connection');
    expect(s).toMatch(/100 +42\.9 MiB +85\.9 MiB +439\.6 KiB/);
    expect(s).toMatch(/1,000 +69\.3 MiB +138\.6 MiB +71\.0 KiB/);
    expect(s).toContain('marginal   30.0 KiB per connection');
    expect(s).toContain('fixed      40.0 MiB');
    expect(s).toContain('R²         0.9980');
    expect(s).toContain('same fit over RSS (3 steps): 60.0 KiB per connection, fixed 80.0 MiB');
    expect(s).toMatch(/At 100 connections the fixed 40\.0 MiB\s+adds 409\.6 KiB to each, so the naive figure reads 439\.6 KiB; at 1,000 it reads 71\.0 KiB/);
    expect(s).toMatch(/StreamableHTTPServerTransport: 1,000 instances/);
    expect(s).toMatch(/28\.3 KiB +27\.8 KiB +30\.3 KiB +39\.1 KiB/);
    expect(s).toMatch(/Map +3 +11\.7 KiB/);
  });

  it('gives growth with its fit quality, GC per kind, pools, leaks with their path, load', () => {
    expect(sectionOf(text, 'Growth')).toMatch(/under load +\+300\.0 MiB\/h +\(samples after a forced GC: 3 points over 120 s, R² 0\.99/);
    expect(sectionOf(text, 'Growth')).toMatch(/steady state +\+256\.0 KiB\/h .*windows of 5 s.*flat within noise, short window/);
    expect(sectionOf(text, 'Growth')).not.toMatch(/under load.*short window/);
    const gc = sectionOf(text, 'Garbage collection');
    expect(gc).toMatch(/minor \(scavenge\) +120 +1\.2 ms +4\.5 ms +4\.5 ms/);
    expect(gc).toMatch(/major \(mark-compact\) +3 +18\.0 ms +25\.0 ms +25\.0 ms/);
    expect(gc).toContain('total pause 200.0 ms, overhead 0.21 % of 95.0 s wall time');
    expect(gc).toContain('observer effect: memprof forced full GCs to measure; 4 GC pauses froze the target 80.0 ms in all');
    expect(sectionOf(text, 'Pools')).toMatch(/sessions +100 +900 +90\.0 % +120/);
    const leaks = sectionOf(text, 'Leaks');
    expect(leaks).toContain('Session: 500 objects, 5.0 MiB retained, growth 2.0 MiB');
    expect(leaks).toContain('(GC roots) -[global]-> Window -[sessions]-> Map -[table]-> Session');
    expect(sectionOf(text, 'Load')).toMatch(/latency +p50 2\.1 ms, p99 11\.0 ms/);
    expect(sectionOf(text, 'Checklist')).toMatch(/✓ +connections\.marginalBytesPerConnection/);
  });

  it('says "not measured" with the reason for null figures, and what was not set out to measure', () => {
    const bare: Report = sampleReport((r) => {
      delete r.connections;
      delete r.load;
      delete r.leaks;
      r.pools = [];
      r.growth = { loadBytesPerHour: null, steadyBytesPerHour: null };
      r.gc.major = { count: 0, avgMs: null, p99Ms: null, maxMs: null };
      r.gc.overheadPct = null;
      r.notes = {
        'growth.steadyBytesPerHour': 'no steady-state phase in the run (use --hold)',
        'gc.major.maxMs': 'no major GC (mark-compact) during the run',
      };
    });
    const t = renderReport(bare);
    expect(t).not.toMatch(/\b0 B\b|\b0\.0 ms\b/);
    expect(sectionOf(t, 'Memory per connection')).toContain('not measured in this run');
    expect(sectionOf(t, 'Growth')).toContain('steady state   not measured: no steady-state phase in the run (use --hold)');
    expect(sectionOf(t, 'Growth')).toMatch(/under load +not measured\n/);
    expect(sectionOf(t, 'Garbage collection')).toMatch(/major \(mark-compact\) +0 +none +none +none/);
    expect(sectionOf(t, 'Garbage collection')).toContain('no major GC (mark-compact) during the run');
    expect(sectionOf(t, 'Garbage collection')).toContain('overhead not measured');
    expect(sectionOf(t, 'Pools')).toContain('none published by the target');
    expect(sectionOf(t, 'Leaks')).toContain('not measured in this run');
    expect(sectionOf(t, 'Load')).toContain('no load driven by memprof');
    expect(sectionOf(t, 'Checklist')).toContain('no checks were evaluated');
  });

  describe('the figures of the settled window, the observer effect and the leak rates', () => {
    const MiB = 1024 * 1024;
    const rich = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.4 * MiB;
      r.growth.steadyFit = {
        method: 'afterGc',
        n: 16,
        r2: 0.2,
        windowSec: 45,
        stdErrBytesPerHour: 0.35 * MiB,
        minimaWindowSec: null,
        reason: null,
        estimator: 'robustStep',
        outliers: 1,
        step: { atSec: 21, bytes: 512 * 1024 },
        settleSec: 12,
        quiesced: true,
      };
      r.growth.attribution = { explainedBytesPerHour: 0.3 * MiB, unexplainedBytesPerHour: 0.1 * MiB, share: 0.75 };
      r.gc.major = { count: 4, avgMs: 11, p99Ms: 15, maxMs: 15, source: 'forced' };
      r.gc.forced = { count: 5, totalMs: 45, maxMs: 15, overheadPct: 0.05 };
      r.pools = [
        { name: 'sessions', created: 3, reused: 2000, reuseRatio: 2000 / 2003, peakInUse: 503, inUse: 0, windowed: true, total: { created: 503, reused: 2500, reuseRatio: 2500 / 3003 } },
      ];
      r.leaks = [
        {
          name: 'Array',
          count: 4000,
          retainedSize: 3 * MiB,
          growthBytes: 1.5 * MiB,
          path: ['(GC roots)', 'sessions', 'Map', 'history', 'Array'],
          kind: 'grows-with-live-sessions',
          bytesPerHour: 120 * MiB,
          bytesPerRequest: 48,
          objectsPerRequest: 0.5,
          objectsPerHour: 1e6,
        },
        { name: 'Listener', count: 20, retainedSize: 2000, growthBytes: 1000, path: [], kind: 'outlives-sessions', bytesPerHour: 0.2 * MiB, bytesPerRequest: null, objectsPerRequest: null },
      ];
      r.notes = { 'leaks[Listener].bytesPerRequest': 'no tool call was answered in the steady window' };
      r.checks = evaluateChecks(r, defaultConfig());
    });
    const t = renderReport(rich);

    it('growth: quiesced points, outliers, the settled window, the step and what the leaks explain', () => {
      const g = sectionOf(t, 'Growth');
      expect(g).toMatch(/steady state +\+409\.6 KiB\/h +\(samples after a forced GC with the load quiesced: 16 points over 45 s, .*1 outlier set aside, two levels around a step\)/);
      expect(g).toContain('steady state: fitted over a settled window of 45 s of the hold, after 12 s of settling that is not part of the fit');
      expect(g).toContain('steady state: a one-off step of +512.0 KiB 21 s into the window, not a trend: the slope is that of the two levels');
      expect(g).toContain('explained by the leak groups: +307.2 KiB/h (75 %); unexplained: +102.4 KiB/h');
    });

    it('GC: a major row from forced GCs says so; the observer effect is stated', () => {
      const gc = sectionOf(t, 'Garbage collection');
      expect(gc).toMatch(/major \(mark-compact, forced\) +4 +11\.0 ms +15\.0 ms +15\.0 ms/);
      expect(gc).toMatch(/no natural major GC during the run: the major row is memprof's forced full GCs \(non-incremental\s+mark-compacts of the same heap\), an upper bound of the target's atomic pause/);
      expect(gc).toContain('observer effect: memprof forced full GCs to measure; 5 GC pauses froze the target 45.0 ms in all, longest 15.0 ms, 0.05 % of the run');
    });

    it('pools: the window and the totals side by side', () => {
      const p = sectionOf(t, 'Pools');
      expect(p).toContain('created, reused and reuse over the measured window');
      expect(p).toMatch(/sessions +3 +2,000 +99\.9 % +503 +503 +2,500 +83\.3 %/);
    });

    it('leaks: kind and rates, a missing rate with its reason', () => {
      const l = sectionOf(t, 'Leaks');
      expect(l).toContain('grows with live sessions: accumulates while they are open, freed when they close');
      expect(l).toContain('rate over the steady window: +120.0 MiB/h (1,000,000 objects/h); 48 B and 0.5 objects per request');
      expect(l).toContain('outlives the sessions: still alive after every session closed');
      expect(l).toContain('rate over the steady window: +204.8 KiB/h; per request: not measured (no tool call was answered in the steady window)');
    });

    it('checklist: inconclusive, not a bare ✗', () => {
      const c = sectionOf(t, 'Checklist');
      expect(c).toMatch(/\? +growth\.steadyBytesPerHour .* inconclusive: a hold of about \d+ s decides at this noise/);
      expect(c).toContain('1 inconclusive (not a pass: hold longer)');
    });

    it('leaves out what an older report does not have', () => {
      const plain = renderReport(sampleReport());
      expect(plain).not.toMatch(/settled window|one-off step|explained by|observer effect: memprof forced no|total reuse|rate over the steady window|forced\)/);
    });
  });
});
