import { describe, expect, it } from 'vitest';
import { growthNotes, growthSection } from '../../src/analysis/growth.js';
import { linearFit } from '../../src/analysis/stats.js';
import type { MemorySample } from '../../src/model/recording.js';
import { simulate, type HeapModel } from './model.js';

const MiB = 1024 * 1024;
const base: HeapModel = {
  baseBytes: 60 * MiB,
  trendBytesPerHour: 0,
  garbageBytesPerSec: 512 * 1024,
  gcPeriodMs: 20_000,
  noiseBytes: 64 * 1024,
  sampleEveryMs: 500,
  durationMs: 10 * 60_000,
  phase: 'steady',
  seed: 1,
};

/** The naive fit over every sample, to show what the envelope protects against. */
function naive(samples: MemorySample[]): number {
  return linearFit(samples.map((s) => s.t), samples.map((s) => s.heapUsed))!.slope * 3_600_000;
}

describe('growthSection on a sawtooth of garbage', () => {
  it('reads a flat server as flat and a caching server at its real rate (window minima)', () => {
    const leakRate = 40 * MiB; // per hour
    for (const seed of [1, 2, 3]) {
      const flat = growthSection(simulate({ ...base, seed }).samples);
      const leaky = growthSection(simulate({ ...base, seed, trendBytesPerHour: leakRate }).samples);
      expect(flat.steadyFit.method).toBe('windowMinima');
      expect(Math.abs(flat.steadyBytesPerHour!)).toBeLessThan(0.05 * leakRate);
      expect(Math.abs(leaky.steadyBytesPerHour! / leakRate - 1)).toBeLessThan(0.1);
      expect(leaky.steadyFit.r2!).toBeGreaterThan(0.9);
      // The fit reports its own uncertainty, small beside the leak it must detect.
      expect(flat.steadyFit.stdErrBytesPerHour!).toBeGreaterThan(0);
      expect(flat.steadyFit.stdErrBytesPerHour!).toBeLessThan(0.05 * leakRate);
    }
  });

  it('is not fooled by a run that ends at the top of a long GC cycle (minima between major GCs)', () => {
    // Major GC every 2 min over 10 min, ending just before a GC: every sample fit sees growth.
    const m = { ...base, gcPeriodMs: 120_000, gcOffsetMs: 0, durationMs: 599_000, garbageBytesPerSec: 200 * 1024 };
    const { samples, gcEvents } = simulate(m);
    expect(naive(samples)).toBeGreaterThan(20 * MiB);
    const g = growthSection(samples, { gcEvents });
    expect(g.steadyFit.method).toBe('gcMinima');
    expect(g.steadyFit.n).toBe(4);
    expect(Math.abs(g.steadyBytesPerHour!)).toBeLessThan(1 * MiB);

    const leaky = simulate({ ...m, trendBytesPerHour: 50 * MiB });
    const gl = growthSection(leaky.samples, { gcEvents: leaky.gcEvents });
    expect(Math.abs(gl.steadyBytesPerHour! / (50 * MiB) - 1)).toBeLessThan(0.1);
  });

  it('prefers post-GC samples when the phase has two or more', () => {
    const { samples } = simulate({ ...base, phase: 'load', trendBytesPerHour: 100 * MiB });
    // Every 60 s memprof forced a GC: garbage gone, trend + noise left.
    for (let i = 0; i < samples.length; i += 120) {
      const s = samples[i];
      const dt = s.t - samples[0].t;
      samples[i] = { ...s, heapUsed: base.baseBytes + (100 * MiB * dt) / 3_600_000, afterGc: true };
    }
    const g = growthSection(samples);
    expect(g.loadFit.method).toBe('afterGc');
    expect(g.loadFit.n).toBe(11);
    expect(g.loadBytesPerHour! / (100 * MiB)).toBeCloseTo(1, 6);
    expect(g.loadFit.windowSec).toBe(600);
    expect(g.steadyBytesPerHour).toBeNull();
  });

  it('keeps load and steady phases apart', () => {
    const load = simulate({ ...base, phase: 'load', trendBytesPerHour: 500 * MiB, seed: 7 });
    const steady = simulate({ ...base, phase: 'steady', seed: 8, t0: load.samples.at(-1)!.t + 500, baseBytes: load.samples.at(-1)!.heapUsed });
    const g = growthSection([...steady.samples, ...load.samples]);
    expect(Math.abs(g.loadBytesPerHour! / (500 * MiB) - 1)).toBeLessThan(0.1);
    expect(Math.abs(g.steadyBytesPerHour!)).toBeLessThan(0.05 * 500 * MiB);
  });

  it('is null with a reason when a phase is missing or too short', () => {
    const g = growthSection(simulate({ ...base, phase: 'load', durationMs: 0 }).samples);
    expect(g.loadBytesPerHour).toBeNull();
    expect(g.steadyBytesPerHour).toBeNull();
    const notes = growthNotes(g);
    expect(notes['growth.steadyBytesPerHour']).toMatch(/--hold/);
    expect(notes['growth.loadBytesPerHour']).toMatch(/only 1 heap point/);
  });
});
