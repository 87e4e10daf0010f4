import { STDIO_URL, type LoadOptions } from '../load/types.js';
import type { Emit } from './emitter.js';
import type { ProfileOptions } from './run-options.js';
import type { Recording } from './recording.js';
import { message, type RunControl } from './run-control.js';

/** How long warm-up sessions exchange tool calls before they close. */
const WARMUP_CALLS_MS = 2000;
/** With churn: long enough for churn's overlap (new sessions before old ones closed) to reach its peak. */
const WARMUP_CHURN_MS = 5000;

/**
 * The warm-up (default with --mcp): the top step once, opened and closed, before anything is
 * measured. Tool calls run at --msg-rate for a short hold so their code paths are warm too, and
 * churn too when the run churns (a pool grows to the peak that churn's overlap needs); no burst. A failed warm-up is noted and the run goes on (the measured load will meet the
 * same problem and say so).
 */
export async function warmUp(
  opts: ProfileOptions,
  load: Omit<LoadOptions, 'signal'>,
  run: RunControl,
  rec: Recording,
  emit: Emit,
): Promise<void> {
  const runLoad = opts.runLoad ?? (await import('../load/run-load.js')).runLoad;
  const top = load.ramp.length ? load.ramp[load.ramp.length - 1] : 1;
  const stdio = load.url === STDIO_URL;
  emit({
    type: 'phase', phase: 'warmup', t: Date.now(), connections: top, withCalls: load.msgRate > 0, stdio,
    ...(stdio ? { durationMs: opts.warmupCallsMs ?? WARMUP_CALLS_MS } : {}),
  });
  try {
    const summary = await runLoad(
      {
        ...load,
        ramp: [top],
        holdMs: load.churn ? Math.max(WARMUP_CHURN_MS, opts.warmupCallsMs ?? 0) : load.msgRate > 0 ? (opts.warmupCallsMs ?? WARMUP_CALLS_MS) : undefined,
        burst: undefined,
        signal: run.signal,
      },
      { onProgress: (progress) => emit({ type: 'load', t: Date.now(), progress }) },
    );
    const what =
      summary.transport === 'stdio'
        ? `${summary.requests} tool calls sent over the stdio session (one per process, left open)`
        : `${summary.sessionsOpened} sessions opened and closed and ${summary.requests} tool calls sent`;
    rec.notes.warmup = `before measuring (warm-up): ${what}; samples, GC figures, steps, pool reuse and snapshots start after it`;
    rec.warmupDone = what;
    emit({ type: 'note', text: `warm-up done: ${what}` });
  } catch (err) {
    if (run.stopped) return;
    rec.notes.warmup = `warm-up failed, measured without it: ${message(err)}`;
    emit({ type: 'note', text: rec.notes.warmup });
  }
}
