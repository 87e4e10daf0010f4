import { describe, expect, it } from 'vitest';
import { connectionsNotes, connectionsSection } from '../../src/analysis/connections.js';
import { gcNotes, gcSection } from '../../src/analysis/gc.js';
import { poolNotes, poolSection } from '../../src/analysis/pools.js';
import { retainedDistribution } from '../../src/analysis/retained.js';
import type { GcEvent } from '../../src/model/recording.js';

describe('connectionsSection', () => {
  // 40 MB of fixed overhead and 30 KB per connection: the naive figure is far off at small N.
  const fixed = 40_000_000;
  const per = 30_000;
  const steps = [100, 500, 1000, 2000].map((n, i) => ({
    connections: n,
    heapUsedBytes: fixed + per * n + (i % 2 ? 50_000 : -50_000),
    rssBytes: 2 * fixed + 1.5 * per * n,
  }));

  it('separates marginal and fixed cost by least squares, and keeps the naive figure per step', () => {
    const s = connectionsSection(steps);
    expect(s.marginalBytesPerConnection! / per).toBeGreaterThan(0.99);
    expect(s.marginalBytesPerConnection! / per).toBeLessThan(1.01);
    expect(Math.abs(s.fixedBytes! - fixed)).toBeLessThan(200_000);
    expect(s.r2!).toBeGreaterThan(0.999);
    expect(s.steps[0].bytesPerConnection).toBe(steps[0].heapUsedBytes / 100);
    // At 100 connections the naive figure is 14x the real marginal cost.
    expect(s.steps[0].bytesPerConnection! / s.marginalBytesPerConnection!).toBeGreaterThan(10);
    expect(s.rss!.marginalBytesPerConnection).toBeCloseTo(1.5 * per, 6);
    expect(s.rss!.fixedBytes).toBeCloseTo(2 * fixed, 0);
  });

  it('leaves the fit null (never 0) with a single step, and says why', () => {
    const s = connectionsSection([{ connections: 100, heapUsedBytes: 5_000_000, rssBytes: null }]);
    expect(s.marginalBytesPerConnection).toBeNull();
    expect(s.fixedBytes).toBeNull();
    expect(s.r2).toBeNull();
    expect(s.rss).toBeNull();
    expect(s.steps[0].bytesPerConnection).toBe(50_000);
    expect(connectionsNotes(s)['connections.marginalBytesPerConnection']).toMatch(/at least 2/);
  });

  it('skips unmeasured steps in the fit and has no naive figure at 0 connections', () => {
    const s = connectionsSection([
      { connections: 0, heapUsedBytes: 1000, rssBytes: null },
      { connections: 10, heapUsedBytes: null, rssBytes: null },
      { connections: 20, heapUsedBytes: 3000, rssBytes: null },
    ]);
    expect(s.marginalBytesPerConnection).toBeCloseTo(100, 9);
    expect(s.fixedBytes).toBeCloseTo(1000, 9);
    expect(s.steps[0].bytesPerConnection).toBeNull();
    expect(s.steps[1].bytesPerConnection).toBeNull();
    const notes = connectionsNotes(s);
    expect(notes['connections.steps.0.bytesPerConnection']).toMatch(/no connections/);
    expect(notes['connections.steps.1.bytesPerConnection']).toMatch(/not measured/);
  });
});

describe('gcSection', () => {
  const t = 1_700_000_000_000;
  const ev = (kind: GcEvent['kind'], durationMs: number, forced = false): GcEvent => ({ t, kind, durationMs, forced });

  it('splits scavenges from mark-compacts, leaves forced GCs out, and computes overhead of wall time', () => {
    const minors = Array.from({ length: 200 }, (_, i) => ev('minor', 1 + (i % 10) * 0.1)); // 1.0 .. 1.9
    const events = [...minors, ev('major', 20), ev('major', 40), ev('incremental', 0.5), ev('weak', 0.25), ev('major', 300, true)];
    const gc = gcSection(events, 10_000);
    expect(gc.minor.count).toBe(200);
    expect(gc.minor.avgMs).toBeCloseTo(1.45, 9);
    expect(gc.minor.maxMs).toBeCloseTo(1.9, 9);
    expect(gc.minor.p99Ms).toBeCloseTo(1.9, 9);
    expect(gc.major).toEqual({ count: 2, avgMs: 30, p99Ms: 40, maxMs: 40, source: 'natural' });
    expect(gc.incremental!.count).toBe(1);
    expect(gc.weak!.count).toBe(1);
    expect(gc.forced).toEqual({ count: 1, totalMs: 300, maxMs: 300, overheadPct: 3 });
    // 290 ms of scavenges + 60 major + 0.75 other; the forced 300 ms is not the target's doing.
    expect(gc.totalMs).toBeCloseTo(290 + 60 + 0.75, 9);
    expect(gc.overheadPct).toBeCloseTo(((290 + 60.75) / 10_000) * 100, 9);
  });

  it('says "no major GC" with null figures instead of 0 ms', () => {
    const gc = gcSection([ev('minor', 2)], 1000);
    expect(gc.major).toEqual({ count: 0, avgMs: null, p99Ms: null, maxMs: null, source: 'natural' });
    expect(gcNotes(gc)['gc.major.maxMs']).toBe('no major GC (mark-compact) during the run, natural or forced by memprof');
    expect(gcNotes(gc)['gc.minor.maxMs']).toBeUndefined();
  });

  it('measures the major pause from forced GCs when the run saw no natural one, and says so', () => {
    // Two forced full GCs (each a few mark-compacts, with a weak-callback pass), no natural major GC.
    const events = [ev('minor', 1), ev('major', 12, true), ev('major', 9, true), ev('weak', 1, true), ev('major', 15, true), ev('major', 8, true)];
    const gc = gcSection(events, 20_000);
    expect(gc.major).toEqual({ count: 4, avgMs: 11, p99Ms: 15, maxMs: 15, source: 'forced' });
    // The target's own pause time is still its own: the forced pauses are the observer effect.
    expect(gc.totalMs).toBe(1);
    expect(gc.forced).toEqual({ count: 5, totalMs: 45, maxMs: 15, overheadPct: (45 / 20_000) * 100 });
    expect(gcNotes(gc)['gc.major.maxMs']).toBeUndefined();
    // One natural major GC is enough to measure the target's own.
    const natural = gcSection([...events, ev('major', 30)], 20_000);
    expect(natural.major).toMatchObject({ count: 1, maxMs: 30, source: 'natural' });
  });

  it('has null forced figures when memprof forced nothing, and no share without a wall time', () => {
    expect(gcSection([ev('minor', 1)], 1000).forced).toEqual({ count: 0, totalMs: 0, maxMs: null, overheadPct: 0 });
    const noWall = gcSection([ev('major', 5, true)], 0);
    expect(noWall.forced!.overheadPct).toBeNull();
    expect(gcNotes(noWall)['gc.forced.overheadPct']).toBe('wall time of the run unknown');
  });

  it('has no overhead without a wall time', () => {
    expect(gcSection([], 0).overheadPct).toBeNull();
    expect(gcSection([], 5000).totalMs).toBe(0);
  });
});

describe('poolSection', () => {
  it('computes reuse as reused / (created + reused), not reused / created', () => {
    // The origin report's counters: 15,432 created, 142,500 reused.
    const [p] = poolSection({ states: { created: 15_432, reused: 142_500, peakInUse: 987 } });
    expect(p.reuseRatio).toBeCloseTo(142_500 / 157_932, 12);
    expect(p.reuseRatio).toBeLessThan(1);
    expect(p.peakInUse).toBe(987);
    expect(p.inUse).toBeNull();
  });
  it('is null for an unused pool or missing counters, and sorts by name', () => {
    const pools = poolSection({
      zeta: { created: 0, reused: 0 },
      alpha: { created: 3, reused: Number.NaN },
    });
    expect(pools.map((p) => p.name)).toEqual(['alpha', 'zeta']);
    expect(pools.every((p) => p.reuseRatio === null)).toBe(true);
    const notes = poolNotes(pools);
    expect(notes['pools[zeta].reuseRatio']).toMatch(/never used/);
    expect(notes['pools[alpha].reuseRatio']).toMatch(/did not publish/);
  });
});

describe('poolSection over the measured window', () => {
  // Warm-up created 500 states; the measured run reused them 2,000 times and created 3 more.
  const start = { states: { created: 500, reused: 500, inUse: 0, peakInUse: 500 } };
  const end = { states: { created: 503, reused: 2500, inUse: 0, peakInUse: 503 } };

  it('counts reuse over end minus start, and keeps the totals as read at the end', () => {
    const [p] = poolSection(end, start);
    expect(p).toEqual({
      name: 'states',
      created: 3,
      reused: 2000,
      reuseRatio: 2000 / 2003,
      peakInUse: 503,
      inUse: 0,
      windowed: true,
      total: { created: 503, reused: 2500, reuseRatio: 2500 / 3003 },
    });
    expect(poolNotes([p], start)).toEqual({});
  });

  it('without a start reading gives the totals, as before, and says so', () => {
    const [p] = poolSection(end);
    expect(p).toMatchObject({ created: 503, reused: 2500, reuseRatio: 2500 / 3003, total: { created: 503, reused: 2500 } });
    expect(p.windowed).toBeUndefined();
    expect(poolNotes([p]).pools).toMatch(/not read when measurement started: .* totals as read at the end, any warm-up included/);
  });

  it('counts a pool published after the start from 0, and a pool reset or idle in the window as not measured', () => {
    const pools = poolSection(
      { late: { created: 4, reused: 6 }, reset: { created: 2, reused: 1 }, idle: { created: 5, reused: 5 }, states: end.states },
      { reset: { created: 10, reused: 10 }, idle: { created: 5, reused: 5 }, states: start.states },
    );
    const by = Object.fromEntries(pools.map((p) => [p.name, p]));
    expect(by.late).toMatchObject({ created: 4, reused: 6, reuseRatio: 0.6, windowed: true });
    expect(by.reset).toMatchObject({ created: null, reused: null, reuseRatio: null, total: { created: 2, reused: 1 } });
    expect(by.idle).toMatchObject({ created: 0, reused: 0, reuseRatio: null });
    const notes = poolNotes(pools, { reset: { created: 10, reused: 10 }, idle: { created: 5, reused: 5 }, states: start.states });
    expect(notes['pools[reset].reuseRatio']).toMatch(/went down/);
    expect(notes['pools[idle].reuseRatio']).toMatch(/not used during the measured window/);
    expect(notes['pools[states].reuseRatio']).toBeUndefined();
    expect(notes.pools).toBe("'late' not published yet when measurement started: counted from 0");
  });
});

describe('retainedDistribution', () => {
  it('gives mean and nearest-rank percentiles of per-session sizes', () => {
    const sizes = Float64Array.from({ length: 100 }, (_, i) => 1000 + i * 10).reverse(); // 1000..1990, unsorted
    const r = retainedDistribution(sizes, 'StreamableHTTPServerTransport');
    expect(r.count).toBe(100);
    expect(r.meanBytes).toBeCloseTo(1495, 9);
    expect(r.p50Bytes).toBe(1490);
    expect(r.p90Bytes).toBe(1890);
    expect(r.maxBytes).toBe(1990);
  });
  it('is null, not 0, with no instances', () => {
    expect(retainedDistribution([], 'X')).toEqual({ class: 'X', count: 0, meanBytes: null, p50Bytes: null, p90Bytes: null, maxBytes: null });
  });
});
