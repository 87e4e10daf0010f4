import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from '../../src/model/events.js';
import type { MemorySample } from '../../src/model/recording.js';
import { Dashboard } from '../../src/report/dashboard/Dashboard.js';
import { DashboardModel } from '../../src/report/dashboard/model.js';
import { Series, sparkline } from '../../src/report/dashboard/sparkline.js';
import { progressLine } from '../../src/report/progress-lines.js';

const MiB = 1024 * 1024;
const T0 = 1_750_000_000_000;

function sample(t: number, heapUsed: number, extra: Partial<MemorySample> = {}): ProfileEvent {
  return { type: 'sample', sample: { t, heapUsed, heapTotal: heapUsed * 2, rss: heapUsed * 4, external: 0, arrayBuffers: 0, ...extra } };
}

/** A driven run as the profiler emits it: warm-up, baseline, a 2-step ramp, a hold with its window. */
function scriptedRun(): Array<{ at: number; events: ProfileEvent[] }> {
  return [
    {
      at: T0 + 500,
      events: [
        { type: 'start', t: T0, pid: 4242, outDir: '/tmp/out', ramp: [5, 10], holdMs: 10_000, idleHoldMs: null, durationMs: null, snapshots: 2, intervalMs: 500 },
        { type: 'phase', phase: 'warmup', t: T0, connections: 10, withCalls: true, stdio: false },
        { type: 'load', t: T0 + 400, progress: { open: 10, opened: 10, closed: 0, requests: 40, errors: 0, failed: 0 } },
      ],
    },
    {
      at: T0 + 3000,
      events: [
        { type: 'phase', phase: 'baseline', t: T0 + 2000 },
        sample(T0 + 2100, 20 * MiB, { afterGc: true, phase: 'idle' }),
        { type: 'gc', event: { t: T0 + 2050, kind: 'major', durationMs: 40, forced: true } },
        { type: 'phase', phase: 'ramp', t: T0 + 2200 },
        { type: 'step', t: T0 + 2800, index: 0, of: 2, connections: 5, heapUsedBytes: 21 * MiB },
        { type: 'load', t: T0 + 2900, progress: { open: 5, opened: 5, closed: 0, requests: 100, errors: 0, failed: 0, latencyMs: { p50: 2.5, p99: 9 } } },
        { type: 'load', t: T0 + 3900, progress: { open: 10, opened: 12, closed: 2, requests: 150, errors: 3, failed: 1, latencyMs: { p50: 3, p99: 12 } } },
        { type: 'gc', event: { t: T0 + 3000, kind: 'minor', durationMs: 2 } },
        { type: 'gc', event: { t: T0 + 3300, kind: 'minor', durationMs: 1.5 } },
        { type: 'gc', event: { t: T0 + 3400, kind: 'major', durationMs: 7.25 } },
        sample(T0 + 2600, 26 * MiB, { phase: 'load' }),
      ],
    },
    {
      at: T0 + 5000,
      events: [
        { type: 'step', t: T0 + 4000, index: 1, of: 2, connections: 10, heapUsedBytes: 22 * MiB },
        { type: 'phase', phase: 'hold', t: T0 + 4000, connections: 10, durationMs: 10_000 },
        { type: 'phase', phase: 'settle', t: T0 + 4000, durationMs: 2000 },
        { type: 'snapshot', stage: 'start', t: T0 + 4500, index: 1, of: 2, label: 'steady-start-10-sessions' },
        { type: 'snapshot', stage: 'progress', t: T0 + 4700, index: 1, of: 2, label: 'steady-start-10-sessions', bytes: 0, walked: { done: 500, total: 1000 } },
      ],
    },
    {
      at: T0 + 5500,
      events: [{ type: 'snapshot', stage: 'progress', t: T0 + 5400, index: 1, of: 2, label: 'steady-start-10-sessions', bytes: 12_600_000 }],
    },
    {
      at: T0 + 11_000,
      events: [
        { type: 'snapshot', stage: 'written', t: T0 + 6000, index: 1, of: 2, label: 'steady-start-10-sessions', bytes: 30_000_000, path: '/tmp/out/s1' },
        { type: 'phase', phase: 'window', t: T0 + 6500, points: 4, durationMs: 7000 },
        // Still points 1 s apart, heap after GC growing 1 MiB each (3.5 GiB/h), with a little noise.
        ...[0, 20_000, -20_000, 0].map((noise, i) => sample(T0 + 7000 + i * 1000, 22 * MiB + i * MiB + noise, { afterGc: true, window: true, phase: 'steady', quiesced: true })),
      ],
    },
  ];
}

function frameAt(model: DashboardModel, at: number, lines: string[] = []): string {
  const { lastFrame, unmount } = render(createElement(Dashboard, { view: model.view(at), lines, color: false, width: 100 }));
  const frame = lastFrame() ?? '';
  unmount();
  return frame;
}

describe('the live dashboard, drawn from a scripted event sequence', () => {
  it('shows each part of the run with its figures as the events arrive', () => {
    const model = new DashboardModel('memprof run');
    const script = scriptedRun();
    const frames: string[] = [];
    for (const { at, events } of script) {
      for (const e of events) model.apply(e);
      frames.push(frameAt(model, at));
    }
    const [warm, ramp, frozen, serialising, window] = frames;

    expect(warm).toContain('memprof run · pid 4242 · 500.0 ms');
    expect(warm).toMatch(/phase\s+warm-up: opening 10 sessions with tool calls, then closing them/);
    expect(warm).toMatch(/sessions\s+open 10 · opened 10 · closed 0 · failed 0/);
    expect(warm).toMatch(/growth\s+waiting for the steady window/);

    expect(ramp).toMatch(/phase\s+ramp 2\/2: opening to 10 sessions/);
    expect(ramp).toMatch(/sessions\s+open 10 · opened 12 · closed 2 · failed 1/);
    // 50 tool calls answered between two reports 1 s apart; latency of those calls.
    expect(ramp).toMatch(/requests\s+50\.0\/s · p50 3\.0 ms · p99 12\.0 ms · errors 3/);
    expect(ramp).toMatch(/heap used 26\.0 MiB\s+peak 26\.0 MiB\s+▁█/);
    expect(ramp).toMatch(/RSS\s+104\.0 MiB\s+peak 104\.0 MiB/);
    expect(ramp).toMatch(/after GC\s+20\.0 MiB heap used after the last full GC, 1 s ago/);
    expect(ramp).toMatch(/GC pauses minor 2× last 1\.5 ms max 2\.0 ms · major 1× last 7\.3 ms max 7\.3 ms/);
    expect(ramp).toMatch(/forced\s+1× last 40\.0 ms max 40\.0 ms \(full GCs memprof forced to measure\)/);
    expect(ramp).toMatch(/snapshots 0\/2 written/);
    expect(ramp).not.toContain('target frozen');

    expect(frozen).toMatch(/phase\s+hold 10 sessions: settling; 9 s left/);
    expect(frozen).toMatch(/target frozen: writing snapshot 1\/2 \(0\.0 MB\) walking the heap ██████████░░░░░░░░░░ 50%/);
    expect(serialising).toContain('target frozen: writing snapshot 1/2 (12.6 MB)');
    expect(serialising).not.toContain('walking the heap');

    expect(window).not.toContain('target frozen');
    expect(window).toMatch(/snapshots 1\/2 written/);
    expect(window).toMatch(/phase\s+hold 10 sessions: steady window, 4\/4 still points; 3 s left/);
    // The report's own fit (analysis/growth.ts) over the window's 4 still points: 1 MiB/s.
    expect(window).toMatch(/growth\s+\+3\.5 GiB\/h ± [\d.]+ \w+\/h steady \(4 points\)/);
  });

  it('says how many points the window still needs before it has a slope', () => {
    const model = new DashboardModel('memprof run');
    for (const { events } of scriptedRun().slice(0, 4)) for (const e of events) model.apply(e);
    model.apply({ type: 'phase', phase: 'window', t: T0 + 6500, points: 4, durationMs: 7000 });
    model.apply(sample(T0 + 7000, 22 * MiB, { afterGc: true, window: true, phase: 'steady' }));
    expect(frameAt(model, T0 + 9000)).toMatch(/growth\s+1 still point so far; a slope needs 3 points or more over 1 s/);
  });

  it('prints the progress lines above the frame, and ends with the outcome, the countdowns stopped', () => {
    const model = new DashboardModel('memprof profile');
    for (const { events } of scriptedRun()) for (const e of events) model.apply(e);
    model.finish('interrupted', T0 + 12_000);
    const lines = ['memprof: step 1/2: 5 sessions open, heap 21.0 MiB after GC'];
    const frame = frameAt(model, T0 + 60_000, lines);
    expect(frame.split('\n')[0]).toBe(lines[0]);
    expect(frame).toContain('memprof profile · pid 4242 · 12.0 s');
    expect(frame).toMatch(/phase\s+interrupted: closing what memprof opened, writing what was measured/);
    expect(frame).toMatch(/snapshots 1 written/);
  });
});

describe('colour', () => {
  it('is drawn into the text when on, and absent when off (NO_COLOR, no TTY)', () => {
    const model = new DashboardModel('memprof run');
    for (const { events } of scriptedRun()) for (const e of events) model.apply(e);
    const draw = (color: boolean) => {
      const r = render(createElement(Dashboard, { view: model.view(T0 + 11_000), lines: [], color, width: 100 }));
      const frame = r.lastFrame() ?? '';
      r.unmount();
      return frame;
    };
    // Growing, the band clear of zero: red; the heap's sparkline blue.
    expect(draw(true)).toContain('\x1b[31m+3.5 GiB/h');
    // eslint-disable-next-line no-control-regex -- colour escapes are what is checked
    expect(draw(true)).toMatch(/\x1b\[34m[▁▂▃▄▅▆▇█]+\x1b\[39m/);
    expect(draw(false)).not.toContain('\x1b[');
  });
});

describe('sparklines over the run', () => {
  it('scale bars from the minimum to the maximum, a bucket showing its peak', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 10)).toBe('▁▁▁');
    expect(sparkline([0, 9, 0, 0], 2)).toBe('█▁');
  });

  it('keep a bounded series whose merged points keep the peaks', () => {
    const s = new Series(8);
    for (let i = 0; i < 100; i++) s.push(i === 37 ? 1000 : i);
    const points = s.points();
    expect(points.length).toBeLessThanOrEqual(9);
    expect(Math.max(...points)).toBe(1000);
  });
});

describe('the plain progress lines, made from the same events', () => {
  it('are the lines memprof has always printed, to the byte', () => {
    const lines: Array<[ProfileEvent, string | null]> = [
      [{ type: 'step', t: 0, index: 1, of: 3, connections: 200, heapUsedBytes: 31.25 * MiB }, 'step 2/3: 200 sessions open, heap 31.3 MiB after GC'],
      [{ type: 'step', t: 0, index: 0, of: 1, connections: 1, heapUsedBytes: null }, 'step 1/1: 1 sessions open, heap not measured after GC'],
      [{ type: 'phase', phase: 'hold', t: 0, connections: 300, durationMs: 45_000 }, 'holding 300 sessions for 45.0 s (steady state, traffic going on)'],
      [{ type: 'phase', phase: 'settle', t: 0, durationMs: 12_345 }, 'settling 12.3 s before the steady window'],
      [{ type: 'phase', phase: 'window', t: 0, points: 9, durationMs: 30_000 }, 'steady window: 9 still points over 30.0 s'],
      [{ type: 'phase', phase: 'idle-hold', t: 0, durationMs: 2000 }, 'holding the sessions 2.0 s more with no traffic (--idle-hold)'],
      [{ type: 'phase', phase: 'warmup', t: 0, connections: 300, withCalls: true, stdio: false }, 'warming up: opening 300 sessions with tool calls, then closing them (--no-warmup to skip)'],
      [{ type: 'phase', phase: 'warmup', t: 0, connections: 3, withCalls: false, stdio: false }, 'warming up: opening 3 sessions, then closing them (--no-warmup to skip)'],
      [{ type: 'phase', phase: 'warmup', t: 0, connections: 1, withCalls: true, stdio: true, durationMs: 10_000 }, 'warming up: tool calls for 10 s over the stdio session (--no-warmup to skip)'],
      [{ type: 'snapshot', stage: 'start', t: 0, index: 2, of: 5, label: 'steady-start-300-sessions' }, 'snapshot 2 (steady-start-300-sessions): the target is frozen while it is written...'],
      [{ type: 'snapshot', stage: 'written', t: 0, index: 2, of: 5, label: 'x', path: '/o/snapshot-2-x.heapsnapshot', bytes: 1 }, 'snapshot 2 written: /o/snapshot-2-x.heapsnapshot'],
      [{ type: 'snapshot', stage: 'skipped', t: 0, index: 3, of: 5, label: 'final', reason: 'too little memory' }, 'snapshot 3 (final) skipped: too little memory; pass --force to take it anyway'],
      [{ type: 'note', text: 'warm-up done: 3 sessions opened and closed and 0 tool calls sent' }, 'warm-up done: 3 sessions opened and closed and 0 tool calls sent'],
      // The dashboard's own events have no line: a log would get one per sample.
      [{ type: 'snapshot', stage: 'progress', t: 0, index: 3, of: 5, label: 'final', bytes: 5 }, null],
      [sample(0, 1), null],
      [{ type: 'gc', event: { t: 0, kind: 'minor', durationMs: 1 } }, null],
      [{ type: 'load', t: 0, progress: { open: 1, opened: 1, closed: 0, requests: 0, errors: 0 } }, null],
      [{ type: 'phase', phase: 'baseline', t: 0 }, null],
    ];
    for (const [e, line] of lines) expect(progressLine(e)).toBe(line);
  });
});
