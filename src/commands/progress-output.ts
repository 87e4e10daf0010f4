import type { ProfileEvent } from '../model/events.js';
import type { DashboardEnd } from '../report/dashboard/model.js';
import { liveProgress } from '../util/tty.js';

/** Where a long command's progress goes while it runs: plain lines, or the live dashboard. */
export interface ProgressOutput {
  /** A progress line, without the `memprof: ` prefix. */
  progress(line: string): void;
  /** A whole line for the user (the interrupt messages), written as is. */
  say(line: string): void;
  /** The run's events (the dashboard's figures); absent for plain lines, which come from `progress`. */
  onEvent?(e: ProfileEvent): void;
  /** The measuring is over: what follows (analysis lines, the report) is written plainly. Idempotent. */
  stop(end: DashboardEnd): void;
}

/** The plain lines, exactly as memprof has always printed them. */
export const plainOutput: ProgressOutput = {
  progress: (line) => void process.stderr.write(`memprof: ${line}\n`),
  say: (line) => void process.stderr.write(`${line}\n`),
  stop: () => {},
};

/**
 * The dashboard for a person at a terminal (stderr a TTY, `CI` unset: see util/tty.ts), else the
 * plain lines. The dashboard's code (ink, React) is imported only here, only then.
 */
export async function progressOutput(title: string): Promise<ProgressOutput> {
  if (!liveProgress(process.stderr)) return plainOutput;
  const { startDashboard } = await import('./live-dashboard.js');
  return startDashboard(title);
}

/** The dashboard's last word for a run that ended so. */
export function endOf(rec: { ended: string; failure?: string | null }): DashboardEnd {
  if (rec.ended === 'interrupted') return 'interrupted';
  return rec.ended === 'complete' && !rec.failure ? 'complete' : 'failed';
}
