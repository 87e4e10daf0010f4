import type { GcEvent, MemorySample } from '../../src/model/recording.js';

/** Deterministic PRNG (mulberry32) so a "noisy" series is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HeapModel {
  /** Retained heap at t=0. */
  baseBytes: number;
  /** What the program keeps, bytes/hour (the truth growth must find). */
  trendBytesPerHour: number;
  /** Garbage allocated per second until a GC collects it. */
  garbageBytesPerSec: number;
  /** A major GC every this many ms collects all garbage. */
  gcPeriodMs: number;
  /** Uniform measurement noise, ± bytes. */
  noiseBytes: number;
  sampleEveryMs: number;
  durationMs: number;
  phase: 'load' | 'steady';
  seed: number;
  /** Phase offset of the sawtooth, ms (where in the GC cycle the run starts). */
  gcOffsetMs?: number;
  t0?: number;
}

/** heap(t) = base + trend·t + garbage since the last GC + noise, sampled; GC events at each collection. */
export function simulate(m: HeapModel): { samples: MemorySample[]; gcEvents: GcEvent[] } {
  const rand = rng(m.seed);
  const t0 = m.t0 ?? 1_700_000_000_000;
  const offset = m.gcOffsetMs ?? 0;
  const samples: MemorySample[] = [];
  const gcEvents: GcEvent[] = [];
  for (let k = 1; k * m.gcPeriodMs - offset <= m.durationMs; k++) {
    const at = k * m.gcPeriodMs - offset;
    // The pause ends just before the sample that first sees the collected heap.
    if (at >= 0) gcEvents.push({ t: t0 + at - 10, kind: 'major', durationMs: 5 });
  }
  for (let dt = 0; dt <= m.durationMs; dt += m.sampleEveryMs) {
    const sinceGc = (dt + offset) % m.gcPeriodMs;
    const heap =
      m.baseBytes +
      (m.trendBytesPerHour * dt) / 3_600_000 +
      (m.garbageBytesPerSec * sinceGc) / 1000 +
      (rand() * 2 - 1) * m.noiseBytes;
    samples.push({
      t: t0 + dt,
      heapUsed: heap,
      heapTotal: heap * 1.5,
      rss: heap * 2,
      external: 0,
      arrayBuffers: 0,
      phase: m.phase,
    });
  }
  return { samples, gcEvents };
}
