import { describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/profile/assemble.js';
import { emptyRecording, type Recording } from '../../src/profile/recording.js';
import type { MemorySample } from '../../src/model/recording.js';

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

  it('a stdio run: no per-connection section (one session per process), bytes per request from the steady window, stdout noise', () => {
    const steady = [0, 1, 2, 3, 4].map((i) => sample(10_000 + i * 9000, 20_000_000 + i * 90_000, { afterGc: true, quiesced: true, phase: 'steady', window: true, connections: 1, requests: 100 + i * 450 }));
    const rec = recording({
      endedAt: T0 + 50_000,
      transport: 'stdio',
      drivenLoad: true,
      samples: [sample(0, 19_000_000, { afterGc: true, phase: 'idle', connections: 0 }), sample(5000, 19_500_000, { afterGc: true, phase: 'load', connections: 1 }), ...steady],
      steps: [{ connections: 1, heapUsedBytes: 19_500_000, rssBytes: 78_000_000, t: T0 + 5000 }],
      steadyWindow: { startT: T0 + 10_000, endT: T0 + 46_000, startRequests: 100, endRequests: 1900, connections: 1 },
      load: {
        sessionsOpened: 1, sessionsClosed: 0, requests: 2000, connectPerSec: null, msgPerSec: 50,
        latencyMs: { p50: 2, p90: 3, p99: 9, max: 12 }, errorsByKind: { tool_error: 3 }, errors: 3, retries: 0, durationMs: 45_000, tool: 'echo',
        interrupted: false, initializeLatencyMs: { p50: 40, p90: 40, p99: 40, max: 40 }, sessionsFailed: 0, peakOpen: 1, requestsFailed: 0,
        requestsMissed: 0, sseStreams: 0, steps: [{ index: 0, target: 1, connections: 1, t: T0 + 5000 }], localAddresses: [], fdLimit: null,
        transport: 'stdio', nonProtocolLines: { count: 2, first: ['starting', 'ready'] },
      },
    });
    const report = assembleReport(rec, 'x');
    expect(report.connections).toBeUndefined();
    expect(report.notes?.connections).toMatch(/^one session per process \(stdio\)/);
    // 90 kB per 9 s is 36 MB/h; over the 36 s window that is 360 kB, for 1,800 requests: 200 B each.
    expect(report.growth.steadyBytesPerHour).toBeCloseTo(36_000_000, 0);
    expect(report.growth.requestsInWindow).toBe(1800);
    expect(report.growth.bytesPerRequest).toBeCloseTo(200, 6);
    expect(report.growth.loadBytesPerHour).toBeNull();
    expect(report.notes?.['growth.loadBytesPerHour']).toMatch(/no ramp with one session per process \(stdio\)/);
    expect(report.load).toMatchObject({ transport: 'stdio', nonProtocolLines: { count: 2, first: ['starting', 'ready'] }, connectPerSec: null, errors: 3 });
    expect(report.notes?.['load.connectPerSec']).toMatch(/one session per process/);
  });

  it('an HTTP run with a hold also gets bytes per request; none without a hold', () => {
    const held = assembleReport(recording({ drivenLoad: true, steadyWindow: { startT: T0, endT: T0 + 10_000, startRequests: 5, endRequests: 5 } }), 'x');
    expect(held.growth.bytesPerRequest).toBeNull();
    expect(held.notes?.['growth.bytesPerRequest']).toMatch(/no tool call was answered/);
    expect(held.connections).toBeDefined();
    const noHold = assembleReport(recording({ drivenLoad: true }), 'x');
    expect(noHold.growth).not.toHaveProperty('bytesPerRequest');
  });
});
