import type { BurstLoad } from '../model/recording.js';
import { LatencyRecorder } from './latency.js';

export type { BurstLoad } from '../model/recording.js';

/**
 * The burst's own counters, kept apart from the run's so the profiler can say what the burst did.
 * A call belongs to the phase it was sent in.
 */
export class BurstTally {
  private phase: 'before' | 'during' | 'after' = 'before';
  private startT = 0;
  private endT: number | null = null;
  opened = 0;
  failed = 0;
  closed = 0;
  private readonly before = new LatencyRecorder();
  private readonly during = new LatencyRecorder();

  start(): void {
    this.phase = 'during';
    this.startT = Date.now();
  }

  end(): void {
    if (this.phase !== 'during') return;
    this.phase = 'after';
    this.endT = Date.now();
  }

  /** Which recorder a call sent now belongs to (null: after the burst, not kept apart). */
  recorderNow(): LatencyRecorder | null {
    return this.phase === 'before' ? this.before : this.phase === 'during' ? this.during : null;
  }

  summary(): BurstLoad | undefined {
    if (this.phase === 'before') return undefined;
    return {
      startT: this.startT,
      endT: this.endT,
      opened: this.opened,
      failed: this.failed,
      closed: this.closed,
      latencyBeforeMs: this.before.summary(),
      latencyDuringMs: this.during.summary(),
    };
  }
}
