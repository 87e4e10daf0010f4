import { setTimeout as delay } from 'node:timers/promises';
import type { InFlight } from './in-flight.js';

/**
 * The load standing still while something measures the target: the HTTP and the stdio generators
 * share it. While `paused` no tool call starts; while `frozen` churn and bursts close and open
 * nothing. A measurement starts once the work already sent has been answered, so the target is
 * seen at rest, and the time spent still is left out of the message rate.
 */
export interface PauseGateOptions {
  /** Tool calls in flight: answered before any hook or measurement runs. */
  calls: InFlight;
  /** Session opens and closes in flight: also awaited by `still` (HTTP; none for stdio). */
  sessionOps?: InFlight;
  /**
   * Closes the idle keep-alive sockets and returns how many: they cost the server a few KiB each
   * and come and go with its idle timeout, so closed before every still measurement they are never
   * in one.
   */
  closeIdle?: () => number;
  /** After closing idle sockets, time for the server to see them closed (loopback: well under this). */
  socketsSettleMs?: number;
  /** The load resumes: allowances start again from zero (a pause is not owed as a burst). */
  onResume: () => void;
}

export class PauseGate {
  /** No tool call starts while set. */
  paused = false;
  /** Churn and bursts stand still while set (LoadControl.still). */
  frozen = false;
  private pausedTotal = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private wakeStop!: () => void;
  private readonly stopping = new Promise<void>((resolve) => (this.wakeStop = resolve));

  constructor(private readonly options: PauseGateOptions) {}

  /** ms the load spent standing still so far. */
  get pausedMs(): number {
    return this.pausedTotal;
  }

  /** The run is ending: waits for in-flight work end at once (the end of the run drains it). */
  stop(): void {
    this.stopped = true;
    this.wakeStop();
  }

  /** Runs `hook` with no tool calls and those in flight answered (a ramp step, the hold's start and end). */
  async during<T>(hook: () => Promise<T> | T): Promise<T> {
    return this.standStill(false, async () => {
      await this.quiet([this.options.calls]);
      return hook();
    });
  }

  /**
   * LoadControl.still, one at a time: calls, churn and bursts stop; `settle` runs (e.g. waits for
   * churn's replacements); then every call, open and close in flight is awaited, idle sockets are
   * closed, and `measure` runs. The load resumes when it settles.
   */
  still<T>(measure: () => Promise<T>, settle?: () => Promise<void>): Promise<T> {
    const next = this.chain.then(() =>
      this.standStill(true, async () => {
        await settle?.();
        const { calls, sessionOps, closeIdle, socketsSettleMs = 100 } = this.options;
        await this.quiet(sessionOps ? [calls, sessionOps] : [calls]);
        if (closeIdle && closeIdle() > 0 && !this.stopped) await delay(socketsSettleMs);
        return measure();
      }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async standStill<T>(freeze: boolean, body: () => Promise<T>): Promise<T> {
    const start = performance.now();
    this.paused = true;
    if (freeze) this.frozen = true;
    try {
      return await body();
    } finally {
      if (freeze) this.frozen = false;
      this.paused = false;
      this.options.onResume();
      this.pausedTotal += performance.now() - start;
    }
  }

  /** Until every count is zero at once (one falling to zero may start work in another), or stop(). */
  private async quiet(work: InFlight[]): Promise<void> {
    while (!this.stopped && work.some((w) => w.count > 0)) {
      await Promise.race([Promise.all(work.map((w) => w.idle())), this.stopping]);
    }
  }
}
