import { describe, expect, it } from 'vitest';
import { burstSection, MIN_TOLERANCE_BYTES } from '../../src/analysis/burst.js';
import { projectConnections, connectionsSection } from '../../src/analysis/connections.js';
import type { GcEvent, MemorySample } from '../../src/model/recording.js';

const MiB = 1024 * 1024;
const T0 = 1_000_000;
const lat = { p50: 2, p90: 3, p99: 4, max: 5 };
const sample = (sec: number, heapMiB: number, afterGc = false): MemorySample => ({ t: T0 + sec * 1000, heapUsed: heapMiB * MiB, heapTotal: 0, rss: 2 * heapMiB * MiB, external: 0, arrayBuffers: 0, ...(afterGc ? { afterGc } : {}) });

/** Before at 0 s (after GC), burst from 1 s to 3 s, recovery points after 3 s. */
function analyse(recovery: Array<[number, number]>, gc: GcEvent[] = []) {
  const before = sample(0, 20, true);
  const samples = [before, sample(1.5, 40), sample(2.5, 50), ...recovery.map(([s, h]) => sample(s, h, true))];
  return burstSection(samples, gc, {
    rate: 100,
    durationMs: 2000,
    recoveryMs: 10_000,
    runStartT: T0,
    before,
    windowEndT: T0 + 14_000,
    load: { startT: T0 + 1000, endT: T0 + 3000, opened: 200, failed: 1, closed: 199, latencyBeforeMs: lat, latencyDuringMs: { ...lat, p99: 40 } },
  });
}

describe('burstSection', () => {
  it('measures recovery at the first point from which heap after GC stays within tolerance', () => {
    // Tolerance: 10 % of the 30 MiB rise = 3 MiB. A dip at 5 s followed by a rise is not recovery.
    const { section, notes } = analyse([[4, 30], [5, 22], [7, 26], [9, 22.5], [11, 21]], [
      { t: T0 + 2000, kind: 'minor', durationMs: 1.5 },
      { t: T0 + 2100, kind: 'major', durationMs: 30 },
      { t: T0 + 2200, kind: 'major', durationMs: 50, forced: true },
      { t: T0 + 5000, kind: 'major', durationMs: 80 },
    ]);
    expect(section.toleranceBytes).toBe(3 * MiB);
    expect(section.recoverySec).toBe(6);
    expect(section.retainedBytes).toBe(1 * MiB);
    expect(section.before).toEqual({ heapUsedBytes: 20 * MiB, rssBytes: 40 * MiB });
    expect(section.peak).toEqual({ heapUsedBytes: 50 * MiB, rssBytes: 100 * MiB });
    expect(section.after.heapUsedBytes).toBe(21 * MiB);
    expect(section.startSec).toBe(1);
    expect(section.sessions).toEqual({ opened: 200, failed: 1, closed: 199 });
    // Only the target's own pauses while the burst was on.
    expect(section.gc.minor.count).toBe(1);
    expect(section.gc.major).toMatchObject({ count: 1, maxMs: 30 });
    expect(section.latencyMs).toEqual({ before: { p50: 2, p99: 4 }, during: { p50: 2, p99: 40 } });
    expect(section.points.map((p) => p.sec)).toEqual([1, 2, 4, 6, 8]);
    expect(notes['burst.recoverySec']).toBeUndefined();
  });

  it('is null with the reason when the heap settles above the level before', () => {
    const { section, notes } = analyse([[4, 30], [6, 29], [8, 29.5], [11, 29.2]]);
    expect(section.recoverySec).toBeNull();
    expect(section.retainedBytes).toBeCloseTo(9.2 * MiB, 0);
    expect(section.stillFalling).toBe(false);
    expect(notes['burst.recoverySec']).toMatch(/settled 9\.2 MiB above the level before .*left memory behind/);
  });

  it('says the window was too short when the heap was still falling at its end', () => {
    const { section, notes } = analyse([[4, 40], [7, 34], [11, 28]]);
    expect(section.recoverySec).toBeNull();
    expect(section.stillFalling).toBe(true);
    expect(notes['burst.recoverySec']).toMatch(/too short to decide.*longer --recovery/);
  });

  it('never tolerates less than 1 MiB', () => {
    expect(MIN_TOLERANCE_BYTES).toBe(MiB);
  });
});

describe('projectConnections', () => {
  it('is fixed + marginal x N in heap and RSS, with the standard error of the line at N', () => {
    const section = connectionsSection([
      { connections: 10, heapUsedBytes: 11e6, rssBytes: 60e6 },
      { connections: 20, heapUsedBytes: 12.1e6, rssBytes: 62e6 },
      { connections: 40, heapUsedBytes: 13.9e6, rssBytes: 66e6 },
    ]);
    const p = projectConnections(section, 100_000)!;
    expect(p.heapBytes).toBeCloseTo(section.fixedBytes! + section.marginalBytesPerConnection! * 100_000, 3);
    expect(p.rssBytes).toBeCloseTo(section.rss!.fixedBytes + section.rss!.marginalBytesPerConnection * 100_000, 3);
    expect(p.projectedBytes).toBe(p.rssBytes);
    expect(p.extrapolated).toBe(true);
    // The heap line does not go through the points exactly: the further N, the wider the error.
    expect(p.heapStdErrBytes!).toBeGreaterThan(projectConnections(section, 40)!.heapStdErrBytes!);
    // RSS is exactly linear: no error.
    expect(p.rssStdErrBytes).toBeCloseTo(0, 3);
    expect(projectConnections(section)!.connections).toBe(40);
  });
});
