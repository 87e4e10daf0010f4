import { describe, expect, it } from 'vitest';
import { growthNotes, growthSection } from '../../src/analysis/growth.js';
import { robustSlope, tQuantile975 } from '../../src/analysis/robust-fit.js';
import { linearFit } from '../../src/analysis/stats.js';
import type { MemorySample } from '../../src/model/recording.js';
import { defaultConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { sampleReport } from '../report/sample-report.js';
import { rng } from './model.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

interface Series {
  /** Seconds from the window start of each quiesced point. */
  times: number[];
  /** Heap at each point, bytes. */
  heap: (sec: number, i: number) => number;
}

/**
 * A hold as the profiler records it: a settle period whose un-forced samples climb (churn's first
 * replacements), then the settled window with a quiesced forced-GC point every `every` seconds
 * among un-forced samples full of garbage.
 */
function hold(opts: { points?: number; every?: number; settleSec?: number; heap: Series['heap'] }): { samples: MemorySample[]; window: { startT: number; endT: number } } {
  const points = opts.points ?? 16;
  const every = opts.every ?? 3;
  const settle = opts.settleSec ?? 12;
  const start = T0 + settle * 1000;
  const samples: MemorySample[] = [];
  const s = (t: number, heapUsed: number, extra: Partial<MemorySample> = {}): MemorySample => ({
    t,
    heapUsed,
    heapTotal: heapUsed * 2,
    rss: heapUsed * 3,
    external: 0,
    arrayBuffers: 0,
    phase: 'steady',
    ...extra,
  });
  // Settling: 1 MiB climbs in, with garbage on top; not part of the window.
  for (let t = 0; t < settle; t++) samples.push(s(T0 + t * 1000, 50 * MiB + (t / settle) * MiB + 3 * MiB));
  for (let i = 0; i < points; i++) {
    const sec = i * every;
    samples.push(s(start + sec * 1000, opts.heap(sec, i), { afterGc: true, quiesced: true, window: true }));
    // Un-forced samples between the points: garbage makes them useless for the slope.
    samples.push(s(start + sec * 1000 + 1500, opts.heap(sec, i) + 4 * MiB, { window: true }));
  }
  return { samples, window: { startT: start, endT: start + (points - 1) * every * 1000 } };
}

const noise = (seed: number, amplitude = 3 * KiB) => {
  const r = rng(seed);
  return () => (r() * 2 - 1) * amplitude;
};

describe('steady growth over the settled window', () => {
  it('reads flat + noise as flat and passes a tight limit with 16 quiesced points over 45 s', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const n = noise(seed);
      const { samples, window } = hold({ heap: () => 52 * MiB + n() });
      const g = growthSection(samples, { steadyWindow: { ...window, startRequests: 0, endRequests: 0, connections: 200 } });
      expect(g.steadyFit).toMatchObject({ method: 'afterGc', quiesced: true, n: 16, windowSec: 45, settleSec: 12, estimator: 'robustLine', step: null });
      // The settle period's climb (+1 MiB in 12 s, +300 MiB/h) is not in the figure.
      const band = Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!;
      expect(band).toBeLessThan(0.75 * MiB);
      const report = sampleReport((r) => (r.growth = g));
      expect(evaluateChecks(report, defaultConfig()).find((c) => c.id === 'growth.steadyBytesPerHour')).toMatchObject({ status: 'pass', pass: true });
    }
  });

  it('reads a flat series with one step in the window as a step, not a trend', () => {
    for (const seed of [1, 2, 3]) {
      const n = noise(seed);
      const jump = 512 * KiB;
      const { samples, window } = hold({ heap: (sec) => 52 * MiB + (sec >= 21 ? jump : 0) + n() });
      const points = samples.filter((s) => s.afterGc);
      // What a plain least-squares line makes of it: the "+45 MiB/h".
      const ols = linearFit(points.map((p) => p.t), points.map((p) => p.heapUsed))!.slope * HOUR;
      expect(ols).toBeGreaterThan(20 * MiB);

      const g = growthSection(samples, { steadyWindow: window });
      expect(g.steadyFit.estimator).toBe('robustStep');
      expect(g.steadyFit.step!.atSec).toBe(21);
      expect(Math.abs(g.steadyFit.step!.bytes - jump)).toBeLessThan(8 * KiB);
      expect(Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!).toBeLessThan(MiB);
      const report = sampleReport((r) => (r.growth = g));
      expect(evaluateChecks(report, defaultConfig()).find((c) => c.id === 'growth.steadyBytesPerHour')!.status).toBe('pass');
    }
  });

  it('measures a real 5 MiB/h trend within 10 %, as a line, with a band that excludes flat', () => {
    const rate = 5 * MiB;
    for (const seed of [1, 2, 3, 4, 5]) {
      const n = noise(seed);
      const { samples, window } = hold({ points: 20, heap: (sec) => 52 * MiB + (rate * sec * 1000) / HOUR + n() });
      const g = growthSection(samples, { steadyWindow: window });
      expect(g.steadyFit.estimator).toBe('robustLine');
      expect(Math.abs(g.steadyBytesPerHour! / rate - 1)).toBeLessThan(0.1);
      expect(g.steadyBytesPerHour! - 2 * g.steadyFit.stdErrBytesPerHour!).toBeGreaterThan(MiB);
      const report = sampleReport((r) => (r.growth = g));
      expect(evaluateChecks(report, defaultConfig()).find((c) => c.id === 'growth.steadyBytesPerHour')!.status).toBe('fail');
    }
  });

  it('keeps the trend under a step: the slope of the two levels', () => {
    const rate = 20 * MiB;
    const n = noise(9);
    const { samples, window } = hold({ heap: (sec) => 52 * MiB + (rate * sec * 1000) / HOUR + (sec >= 24 ? MiB : 0) + n() });
    const g = growthSection(samples, { steadyWindow: window });
    expect(g.steadyFit.estimator).toBe('robustStep');
    expect(Math.abs(g.steadyBytesPerHour! / rate - 1)).toBeLessThan(0.1);
  });

  it('sets a stray point aside', () => {
    const n = noise(4);
    const { samples, window } = hold({ heap: (sec, i) => 52 * MiB + (i === 9 ? 2 * MiB : 0) + n() });
    const g = growthSection(samples, { steadyWindow: window });
    expect(g.steadyFit).toMatchObject({ estimator: 'robustLine', outliers: 1, n: 16 });
    expect(Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!).toBeLessThan(MiB);
  });

  it('finds a step in fewer than 1 in 1000 flat or trending noisy series (Gaussian or uniform noise, 8 to 40 points)', () => {
    let steps = 0;
    let fits = 0;
    for (const gaussian of [false, true]) {
      for (const points of [8, 12, 16, 40]) {
        for (let seed = 1; seed <= 300; seed++) {
          const r = rng(seed * 7919 + points);
          const e = () => (gaussian ? Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()) : r() * 2 - 1) * 2 * KiB;
          const xs = Array.from({ length: points }, (_, i) => T0 + i * 3000);
          const trend = seed % 2 ? 0 : 10 * MiB;
          const fit = robustSlope(xs, xs.map((x) => 50 * MiB + (trend * (x - T0)) / HOUR + e()), { resolution: 1 })!;
          fits++;
          if (fit.step) steps++;
        }
      }
    }
    expect(steps / fits).toBeLessThan(0.002);
  });

  it('sets a step at either end of the window aside as outliers (too few points for a level)', () => {
    const n = noise(6);
    // Churn's first replacements land in the first two points; the last two see a late one-off.
    for (const heap of [(sec: number) => 52 * MiB + (sec < 6 ? -512 * KiB : 0) + n(), (sec: number) => 52 * MiB + (sec >= 42 ? 512 * KiB : 0) + n()]) {
      const { samples, window } = hold({ heap });
      const g = growthSection(samples, { steadyWindow: window });
      expect(g.steadyFit).toMatchObject({ estimator: 'robustLine', outliers: 2 });
      expect(Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!).toBeLessThan(MiB);
    }
  });

  it('takes the window from the samples flagged `window` when the run gives no steadyWindow', () => {
    const n = noise(2);
    const { samples } = hold({ heap: () => 52 * MiB + n() });
    const g = growthSection(samples);
    expect(g.steadyFit).toMatchObject({ n: 16, windowSec: 45, settleSec: 12, quiesced: true });
  });

  it('prefers quiesced forced-GC points to forced GCs amid traffic', () => {
    const n = noise(3);
    const { samples, window } = hold({ heap: () => 52 * MiB + n() });
    // GCs forced amid traffic measure the requests in flight too: 1 MiB more, growing.
    const amid = samples
      .filter((s) => s.afterGc)
      .map((s, i) => ({ ...s, t: s.t + 700, heapUsed: s.heapUsed + MiB + i * 64 * KiB, quiesced: false }));
    const g = growthSection([...samples, ...amid], { steadyWindow: window });
    expect(g.steadyFit).toMatchObject({ n: 16, quiesced: true });
    expect(Math.abs(g.steadyBytesPerHour!)).toBeLessThan(0.5 * MiB);
  });

  it('without a window (profile without load), fits the whole steady phase as before', () => {
    const n = noise(5);
    const { samples } = hold({ heap: () => 52 * MiB + n() });
    const bare = samples.map(({ window: _w, quiesced: _q, ...s }) => s);
    const g = growthSection(bare);
    expect(g.steadyFit.settleSec).toBeNull();
    expect(g.steadyFit.n).toBe(16);
    expect(g.steadyFit.windowSec).toBe(45);
  });
});

describe('no figure from too little data', () => {
  const s = (t: number, heapUsed: number, phase: 'load' | 'steady', extra: Partial<MemorySample> = {}): MemorySample => ({
    t: T0 + t,
    heapUsed,
    heapTotal: 0,
    rss: 0,
    external: 0,
    arrayBuffers: 0,
    phase,
    afterGc: true,
    ...extra,
  });

  it('gives no load slope from 2 points over 0 s (the issue’s "+46.2 GiB/h")', () => {
    const g = growthSection([s(0, 50 * MiB, 'load'), s(0, 50 * MiB + 200 * KiB, 'load')]);
    expect(g.loadBytesPerHour).toBeNull();
    expect(growthNotes(g)['growth.loadBytesPerHour']).toMatch(/^only 2 heap points after GC in the load phase over 0\.0 s; a slope needs 3 or more over at least 1 s/);
  });

  it('gives no slope from 3 points within half a second, nor from 2 points in the window', () => {
    const g = growthSection([s(0, 50 * MiB, 'load'), s(200, 51 * MiB, 'load'), s(500, 52 * MiB, 'load')]);
    expect(g.loadBytesPerHour).toBeNull();
    expect(g.loadFit.reason).toMatch(/^the 3 heap points after GC in the load phase span only 0\.5 s/);

    const steady = growthSection([s(0, 50 * MiB, 'steady', { quiesced: true }), s(5000, 50 * MiB, 'steady', { quiesced: true }), s(9000, 50 * MiB, 'steady')], {
      steadyWindow: { startT: T0 + 4000, endT: T0 + 9000 },
    });
    expect(steady.steadyBytesPerHour).toBeNull();
    expect(steady.steadyFit.reason).toMatch(/^only 2 heap points after GC in the settled window of the hold over 4\.0 s; .*\(use a longer --hold\)$/);
    expect(steady.steadyFit.settleSec).toBe(4);
  });

  it('says so when the window holds no sample', () => {
    const g = growthSection([s(0, 50 * MiB, 'steady'), s(1000, 50 * MiB, 'steady')], { steadyWindow: { startT: T0 + 5000, endT: T0 + 9000 } });
    expect(g.steadyFit.reason).toBe('no sample in the settled window of the hold (use a longer --hold)');
  });
});

describe('robustSlope', () => {
  it('is exact on a line, null below 3 points or without a span', () => {
    const fit = robustSlope([0, 1, 2, 3, 4], [1, 3, 5, 7, 9])!;
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.outliers).toBe(0);
    expect(fit.step).toBeNull();
    expect(robustSlope([0, 1], [0, 1])).toBeNull();
    expect(robustSlope([5, 5, 5], [0, 1, 2])).toBeNull();
  });

  it('widens the standard error for few points so ±2 of them is a 95 % interval', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(10)).toBeCloseTo(2.228, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
    const xs = [0, 1, 2, 3, 4, 5];
    const ys = [0, 1.1, 1.9, 3.2, 3.9, 5.1];
    const ols = linearFit(xs, ys)!;
    const fit = robustSlope(xs, ys)!;
    expect(fit.slope).toBeCloseTo(ols.slope, 12);
    expect(fit.slopeStdErr!).toBeCloseTo((ols.slopeStdErr! * 2.776) / 2, 9);
  });

  it('stays quick and sane on thousands of points (old runs forced a GC at every sample)', () => {
    const n = noise(7, 10);
    const xs = Array.from({ length: 5000 }, (_, i) => T0 + i * 1000);
    const ys = xs.map((x) => 1e6 + (x - T0) * 0.01 + n());
    const started = performance.now();
    const fit = robustSlope(xs, ys)!;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fit.slope).toBeCloseTo(0.01, 4);
    expect(fit.n).toBe(5000);
  });
});

describe("growth from the target's own major GCs (over --max-pause)", () => {
  const sample = (t: number, heapUsed: number, extra: Partial<MemorySample> = {}): MemorySample => ({
    t, heapUsed, heapTotal: heapUsed * 2, rss: heapUsed * 3, external: 0, arrayBuffers: 0, phase: 'steady', ...extra,
  });

  it('fits the forced edges and the natural heapAfter points between them, garbage-laden samples left out', () => {
    const rate = 20 * MiB; // per hour
    const at = (sec: number) => 50 * MiB + (rate * sec * 1000) / HOUR;
    const r = rng(7);
    const samples: MemorySample[] = [];
    for (let sec = 0; sec <= 60; sec++) samples.push(sample(T0 + sec * 1000, at(sec) + 8 * MiB * r(), { window: true }));
    samples.push(sample(T0, at(0), { afterGc: true, quiesced: true, window: true }));
    samples.push(sample(T0 + 60_000, at(60), { afterGc: true, quiesced: true, window: true }));
    const gcEvents = [5, 14, 22, 31, 40, 47, 55].map((sec) => ({ t: T0 + sec * 1000 - 20, kind: 'major' as const, durationMs: 20, heapAfter: at(sec) + 64 * KiB * (r() - 0.5) }));
    // A forced GC, and a natural one outside the window, are not points.
    gcEvents.push({ t: T0 + 10_000, kind: 'major', durationMs: 5, heapAfter: 1, forced: true } as never);
    gcEvents.push({ t: T0 + 90_000, kind: 'major', durationMs: 5, heapAfter: 1 });
    const g = growthSection(samples, { gcEvents, steadyWindow: { startT: T0, endT: T0 + 60_000, startRequests: 0, endRequests: 0, connections: 1, settleMs: 0 } });
    expect(g.steadyFit.method).toBe('afterMajorGc');
    expect(g.steadyFit.n).toBe(9);
    expect(g.steadyBytesPerHour! / rate).toBeGreaterThan(0.8);
    expect(g.steadyBytesPerHour! / rate).toBeLessThan(1.2);
  });

  it('prefers forced quiesced points when there are enough of them', () => {
    const samples = [0, 10, 20, 30].map((sec) => sample(T0 + sec * 1000, 50 * MiB, { afterGc: true, quiesced: true, window: true }));
    const gcEvents = [{ t: T0 + 5000, kind: 'major' as const, durationMs: 20, heapAfter: 80 * MiB }];
    const g = growthSection(samples, { gcEvents });
    expect(g.steadyFit.method).toBe('afterGc');
    expect(g.steadyBytesPerHour).toBe(0);
  });
});
