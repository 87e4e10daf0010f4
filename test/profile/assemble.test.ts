import { describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/profile/assemble.js';
import { emptyRecording, type Recording } from '../../src/profile/recording.js';
import type { MemorySample } from '../../src/analysis/types.js';

const T0 = 1_700_000_000_000;

function sample(t: number, heapUsed: number, extra: Partial<MemorySample> = {}): MemorySample {
  return { t: T0 + t, heapUsed, heapTotal: heapUsed * 2, rss: heapUsed * 4, external: 0, arrayBuffers: 0, ...extra };
}

function recording(over: Partial<Recording>): Recording {
  return { ...emptyRecording(T0), startedAt: T0, ...over };
}

describe('assembleReport', () => {
  it('leaves out what the run did not set out to measure, and says why a measured figure is null', () => {
    const report = assembleReport(recording({ endedAt: T0 + 1000 }), '1.2.3');
    expect(report.schema).toBe('memprof/report@1');
    expect(report.tool).toEqual({ name: 'memprof', version: '1.2.3' });
    expect(report.durationSec).toBe(1);
    expect(report.memory.heapUsedBytes).toEqual({ start: null, end: null, peak: null });
    expect(report.notes?.['memory.heapUsedBytes.start']).toMatch(/no memory sample/);
    expect(report.connections).toBeUndefined();
    expect(report.load).toBeUndefined();
    expect(report.leaks).toBeUndefined();
    expect(report.pools).toEqual([]);
    expect(report.gc.minor.count).toBe(0);
    expect(report.gc.minor.maxMs).toBeNull();
  });

  it('fills memory, connections, growth and gc from what was recorded; forced GCs apart', () => {
    const samples = [
      sample(0, 10_000_000, { afterGc: true, phase: 'idle', connections: 0 }),
      sample(1000, 12_000_000, { afterGc: true, phase: 'load', connections: 50 }),
      sample(2000, 14_000_000, { afterGc: true, phase: 'load', connections: 100 }),
      sample(2500, 20_000_000, { phase: 'load' }),
      sample(3000, 14_000_100, { afterGc: true, phase: 'steady' }),
      sample(4000, 14_000_200, { afterGc: true, phase: 'steady' }),
      sample(5000, 14_000_300, { afterGc: true, phase: 'steady' }),
    ];
    const rec = recording({
      endedAt: T0 + 5000,
      samples,
      drivenLoad: true,
      steps: [
        { connections: 50, heapUsedBytes: 12_000_000, rssBytes: 48_000_000, t: T0 + 1000 },
        { connections: 100, heapUsedBytes: 14_000_000, rssBytes: 56_000_000, t: T0 + 2000 },
      ],
      gcEvents: [
        { t: T0 + 100, kind: 'minor', durationMs: 2 },
        { t: T0 + 200, kind: 'major', durationMs: 30 },
        { t: T0 + 300, kind: 'major', durationMs: 50, forced: true },
      ],
      pools: { buffers: { created: 10, reused: 90, peakInUse: 7 } },
      load: {
        sessionsOpened: 100,
        sessionsClosed: 100,
        requests: 0,
        connectPerSec: 50,
        msgPerSec: null,
        latencyMs: { p50: null, p90: null, p99: null, max: null },
        errorsByKind: {},
        errors: 0,
        retries: 0,
        durationMs: 3000,
        tool: null,
        interrupted: false,
        initializeLatencyMs: { p50: 5, p90: 8, p99: 9, max: 9 },
        sessionsFailed: 0,
        peakOpen: 100,
        requestsFailed: 0,
        requestsMissed: 0,
        sseStreams: 0,
        steps: [],
        localAddresses: [],
        fdLimit: null,
      },
    });
    const report = assembleReport(rec, 'x');
    expect(report.memory.heapUsedBytes).toEqual({ start: 10_000_000, end: 14_000_300, peak: 20_000_000 });
    expect(report.connections!.marginalBytesPerConnection).toBeCloseTo(40_000, 6);
    expect(report.connections!.fixedBytes).toBeCloseTo(10_000_000, 3);
    expect(report.growth.steadyBytesPerHour).toBeCloseTo(100 * 3600, 3);
    expect(report.gc.major).toMatchObject({ count: 1, maxMs: 30 });
    expect(report.gc.forced).toEqual({ count: 1, totalMs: 50, maxMs: 50, overheadPct: 1 });
    expect(report.gc.overheadPct).toBeCloseTo((32 / 5000) * 100, 6);
    // No reading at the start: the totals, said so.
    expect(report.pools).toEqual([
      { name: 'buffers', created: 10, reused: 90, reuseRatio: 0.9, peakInUse: 7, inUse: null, total: { created: 10, reused: 90, reuseRatio: 0.9 } },
    ]);
    expect(report.notes?.pools).toMatch(/not read when measurement started/);
    expect(report.load).toMatchObject({ connectPerSec: 50, msgPerSec: null, errors: 0, peakOpen: 100 });
    expect(report.notes?.['load.msgPerSec']).toMatch(/--msg-rate/);
  });

  it('has leaks only when 3 or more snapshots were asked for, null with a reason when detection failed', () => {
    const asked = assembleReport(recording({ snapshotsRequested: 3, leaks: null, notes: { leaks: 'leak detection failed: x' } }), 'x');
    expect(asked.leaks).toBeNull();
    expect(asked.notes?.leaks).toBe('leak detection failed: x');
    const one = assembleReport(recording({ snapshotsRequested: 1 }), 'x');
    expect(one.leaks).toBeUndefined();
    const found = assembleReport(recording({ snapshotsRequested: 3, leaks: [] }), 'x');
    expect(found.leaks).toEqual([]);
  });
});
