import type { LoadProgress, ProfileEvent } from '../model/events.js';
import type { LoadSummary } from '../load/types.js';
import type { ProfileOptions } from './run-options.js';
import { progressLine } from '../report/progress-lines.js';

/** Where the run's events go: see ProfileIo. */
export type Emit = (e: ProfileEvent) => void;

/**
 * One sink for the run's events: each goes to `onEvent` (the dashboard, an API caller) and, when
 * it has a plain line, to `progress` (stderr, a log). A listener that throws is ignored: watching
 * a run must never stop it, and the report is what the run is for.
 */
export function eventSink(io: { progress(line: string): void; onEvent?(e: ProfileEvent): void }): Emit {
  return (e) => {
    try {
      io.onEvent?.(e);
    } catch {
      // See above: the run goes on.
    }
    const line = progressLine(e);
    if (line !== null) io.progress(line);
  };
}

/** The load's last counters, from its summary: the sessions it closed at the end included. */
export function finalLoadProgress(s: LoadSummary): LoadProgress {
  const { p50, p99 } = s.latencyMs;
  return {
    open: Math.max(0, s.sessionsOpened - s.sessionsClosed),
    opened: s.sessionsOpened,
    closed: s.sessionsClosed,
    requests: s.requests,
    errors: s.errors,
    failed: s.sessionsFailed,
    // Over the whole load: the last word on its latency.
    ...(p50 !== null && p99 !== null ? { latencyMs: { p50, p99 } } : {}),
  };
}

/** What the run is going to do, for the dashboard's countdowns. */
export function startEvent(opts: ProfileOptions, pid: number | null): ProfileEvent {
  const load = opts.load;
  return {
    type: 'start',
    t: Date.now(),
    pid,
    outDir: opts.outDir,
    ramp: load ? (load.ramp.length ? load.ramp : [1]) : [],
    holdMs: load?.holdMs ?? null,
    idleHoldMs: opts.idleHoldMs ?? null,
    durationMs: opts.durationMs ?? null,
    snapshots: opts.snapshots,
    intervalMs: opts.intervalMs,
  };
}
