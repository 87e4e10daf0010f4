import { describe, expect, it } from 'vitest';
import { codeFactor } from '../../src/analysis/code-adjusted.js';
import { growthSection } from '../../src/analysis/growth.js';
import type { MemorySample } from '../../src/model/recording.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOUR = 3_600_000;

/** A deterministic pseudo-random sequence (the tests must not flake). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Still points as a server under traffic gives them: the program's heap `base + trend·t`, plus V8's
 * code (statistics `c`) wandering by hundreds of KiB as bytecode is flushed and recompiled, with
 * `k` bytes of heap per byte of statistics, plus a little noise.
 */
function points(opts: { n?: number; trendPerHour?: number; k?: number; codeSwing?: number; noise?: number; seed?: number } = {}): MemorySample[] {
  const { n = 16, trendPerHour = 0, k = 1.4, codeSwing = 400 * KiB, noise = 1 * KiB, seed = 1 } = opts;
  const r = rng(seed);
  const t0 = 1_700_000_000_000;
  const out: MemorySample[] = [];
  for (let i = 0; i < n; i++) {
    const t = t0 + i * 3000;
    const c = 4 * MiB + (r() - 0.5) * codeSwing;
    const heap = 20 * MiB + (trendPerHour * (t - t0)) / HOUR + k * c + (r() - 0.5) * 2 * noise;
    out.push({
      t,
      heapUsed: heap + 30 * KiB,
      heapTotal: 40 * MiB,
      rss: 80 * MiB,
      external: 0,
      arrayBuffers: 0,
      afterGc: true,
      quiesced: true,
      window: true,
      phase: 'steady',
      spaces: [{ name: 'new_space', size: 1 * MiB, used: 30 * KiB, available: 0 }],
      code: { code: c * 0.8, bytecode: c * 0.2 },
    });
  }
  return out;
}

describe('code-adjusted growth', () => {
  it('finds the heap per byte of V8 code statistics, and nothing when the code does not move', () => {
    const ps = points({ k: 1.37 });
    const fit = codeFactor(
      ps.map((p) => p.t),
      ps.map((p) => p.heapUsed),
      ps.map((p) => p.code!.code + p.code!.bytecode),
    );
    expect(fit!.factor).toBeCloseTo(1.37, 1);
    const still = points({ codeSwing: 0 });
    expect(codeFactor(still.map((p) => p.t), still.map((p) => p.heapUsed), still.map((p) => p.code!.code + p.code!.bytecode))).toBeNull();
  });

  it('a flat program under code churn passes a 1 MiB/h limit; without the covariate the same points cannot', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const g = growthSection(points({ seed }));
      expect(Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!).toBeLessThan(1 * MiB);
      expect(g.steadyFit.codeFactor).toBeGreaterThan(1);
      const raw = growthSection(points({ seed }).map(({ code: _code, ...p }) => p));
      expect(raw.steadyFit.codeFactor).toBeNull();
      expect(raw.steadyFit.stdErrBytesPerHour!).toBeGreaterThan(g.steadyFit.stdErrBytesPerHour! * 10);
    }
  });

  it('a real trend under code churn is measured within 10 %', () => {
    const g = growthSection(points({ trendPerHour: 20 * MiB, seed: 7 }));
    expect(g.steadyBytesPerHour! / (20 * MiB)).toBeGreaterThan(0.9);
    expect(g.steadyBytesPerHour! / (20 * MiB)).toBeLessThan(1.1);
  });

  it('one point taken before a big flush does not tilt the fit', () => {
    const ps = points({ seed: 3 });
    ps[0] = { ...ps[0], heapUsed: ps[0].heapUsed + 380 * KiB };
    const g = growthSection(ps);
    expect(Math.abs(g.steadyBytesPerHour!) + 2 * g.steadyFit.stdErrBytesPerHour!).toBeLessThan(1 * MiB);
  });

  it("V8's object shapes counted by the window's snapshots are set apart", () => {
    const ps = points({ trendPerHour: 2 * MiB, seed: 9 });
    // The whole trend is shapes growing as the JIT settles: snapshots at both ends saw it.
    const first = ps[0].t;
    const last = ps[ps.length - 1].t;
    const grown = (2 * MiB * (last - first)) / HOUR;
    const g = growthSection(ps, { v8Metadata: [{ t: first, bytes: 1 * MiB }, { t: last, bytes: 1 * MiB + grown }] });
    expect(Math.abs(g.steadyBytesPerHour!)).toBeLessThan(0.3 * MiB);
    expect(g.steadyFit.measure).toMatch(/object shapes/);
  });
});
