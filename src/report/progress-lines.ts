import type { ProfileEvent } from '../model/events.js';

/**
 * The plain progress line of an event (without the `memprof: ` prefix), or null for the events
 * that have none (samples, GCs, load counters, snapshot progress: the dashboard's, too many for a
 * log). These are the lines `profile` and `run` have always printed, to the byte: logs, CI and
 * scripts grep them.
 */
export function progressLine(e: ProfileEvent): string | null {
  switch (e.type) {
    case 'note':
      return e.text;
    case 'step':
      return `step ${e.index + 1}/${e.of}: ${e.connections} sessions open, heap ${mib(e.heapUsedBytes)} after GC`;
    case 'snapshot':
      if (e.stage === 'start') return `snapshot ${e.index} (${e.label}): the target is frozen while it is written...`;
      if (e.stage === 'written') return `snapshot ${e.index} written: ${e.path}`;
      if (e.stage === 'skipped') return `snapshot ${e.index} (${e.label}) skipped: ${e.reason}; pass --force to take it anyway`;
      // A failed snapshot is a note in the report; the run goes on without a line, as it always has.
      return null;
    case 'phase':
      return phaseLine(e);
    default:
      return null;
  }
}

function phaseLine(e: Extract<ProfileEvent, { type: 'phase' }>): string | null {
  const sec = ((e.durationMs ?? 0) / 1000).toFixed(1);
  switch (e.phase) {
    case 'warmup':
      return e.stdio
        ? `warming up: tool calls for ${((e.durationMs ?? 0) / 1000).toFixed(0)} s over the stdio session (--no-warmup to skip)`
        : `warming up: opening ${e.connections} sessions${e.withCalls ? ' with tool calls' : ''}, then closing them (--no-warmup to skip)`;
    case 'hold':
      return `holding ${e.connections} sessions for ${sec} s (steady state, traffic going on)`;
    case 'settle':
      return `settling ${sec} s before the steady window`;
    case 'window':
      return `steady window: ${e.points} still points over ${sec} s`;
    case 'idle-hold':
      return `holding the sessions ${sec} s more with no traffic (--idle-hold)`;
    default:
      return null;
  }
}

function mib(bytes: number | null): string {
  return bytes === null ? 'not measured' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
