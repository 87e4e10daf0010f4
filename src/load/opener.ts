import { Allowance } from './allowance.js';
import type { ChurnQueue } from './churn.js';
import type { SessionOps } from './session-ops.js';
import type { Session, SessionSet } from './session-set.js';
import type { LoadStats } from './stats.js';

/** After a failed open while holding the count, wait this long before trying again. */
const OPEN_BACKOFF_MS = 100;

export interface OpenerConfig {
  /** Opens and closes in flight at most. */
  concurrency: number;
  /** Sessions opened per second during a ramp; undefined = as fast as the server accepts. */
  rate: number | undefined;
  lifetimeMs: number;
  /** LoadControl.still is measuring: bursts open nothing. */
  frozen: () => boolean;
}

/**
 * Which sessions to open, and when: up to a ramp step's target (at --rate, giving up on a step
 * after a budget of failed opens), keeping the hold's count (replacing what churn closes, with a
 * back-off after a failure), and a burst's extra sessions on top. The ticker feeds the allowances.
 */
export class Opener {
  phase: 'idle' | 'ramp' | 'hold' = 'idle';
  /** Base sessions wanted now. */
  target = 0;
  /** Failed opens in the current ramp step. */
  failures = 0;
  /** Opens that failed over the whole run. */
  sessionsFailed = 0;
  /** Opens of base sessions in flight (a burst's are not the step's). */
  baseOpens = 0;
  /** Sessions the ramps opened, and the time spent ramping: connectPerSec. */
  rampOpened = 0;
  rampMs = 0;
  readonly rate = new Allowance(true);
  readonly burst = new Allowance(true);
  /** Churn's queue while the hold churns (sessions opened then join it), else null. */
  churn: ChurnQueue | null = null;
  private budget = 0;
  private backoffUntil = 0;
  private burstUntil = -1;
  private stepDone: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly ops: SessionOps,
    private readonly sessions: SessionSet,
    private readonly stats: LoadStats,
    private readonly config: OpenerConfig,
  ) {}

  /** Opens up to `target` base sessions; resolves when they are open, the step gave up, or stop(). */
  async rampTo(target: number): Promise<void> {
    const start = performance.now();
    this.target = target;
    this.phase = 'ramp';
    this.failures = 0;
    this.budget = Math.max(10, Math.ceil((target - this.sessions.base) * 0.05));
    this.rate.reset(1);
    await new Promise<void>((resolve) => {
      this.stepDone = resolve;
      this.pump();
      this.checkStep();
    });
    this.phase = 'idle';
    this.rampMs += performance.now() - start;
  }

  /** Opens nothing more, and ends a ramp step under way. */
  stop(): void {
    this.stopped = true;
    this.phase = 'idle';
    this.churn = null;
    this.burstUntil = -1;
    this.checkStep();
  }

  get burstActive(): boolean {
    return this.burstUntil >= 0;
  }

  startBurst(now: number, durationMs: number): void {
    this.burstUntil = now + durationMs;
    this.burst.reset(1);
    this.stats.burst?.start();
  }

  /** The ticker's share of a burst: its allowance, or its end (its sessions are closed). */
  burstTick(now: number, rate: number, dt: number): void {
    if (!this.burstActive) return;
    if (now >= this.burstUntil) this.endBurst();
    else this.burst.accrue(rate, dt);
  }

  endBurst(): void {
    if (!this.burstActive) return;
    this.burstUntil = -1;
    this.stats.burst?.end();
    for (const s of [...this.sessions.burst]) void this.ops.close(s);
  }

  /** Starts as many opens as the phase wants and the limits allow. */
  pump(): void {
    if (this.stopped) return;
    const now = performance.now();
    const { concurrency, rate, frozen } = this.config;
    const rateLimited = this.phase === 'ramp' && rate !== undefined;
    while (this.ops.ops.count < concurrency && this.wantsBaseOpen(now)) {
      if (rateLimited && !this.rate.take()) break;
      this.startOpen(false);
    }
    while (this.burstActive && !frozen() && this.ops.ops.count < concurrency && this.burst.take()) this.startOpen(true);
  }

  /** A session opened (by the probe or a pump): into the open set, and churn's queue while churning. */
  adopt(s: Session, burst: boolean): void {
    this.sessions.add(s, burst);
    if (!burst && this.churn) this.churn.add(s, performance.now(), this.config.lifetimeMs);
  }

  private wantsBaseOpen(now: number): boolean {
    if (this.phase === 'idle' || this.sessions.base + this.baseOpens + this.ops.closingBase >= this.target) return false;
    if (this.phase === 'ramp') return this.failures <= this.budget;
    return now >= this.backoffUntil;
  }

  private startOpen(burst: boolean): void {
    this.ops.ops.begin();
    if (!burst) this.baseOpens++;
    const phase = this.phase;
    void this.ops.active.track(
      this.ops.open().then(
        (s) => {
          this.adopt(s, burst);
          if (phase === 'ramp' && !burst) this.rampOpened++;
          if (burst && this.stats.burst) {
            this.stats.burst.opened++;
            // An open sent during the burst and answered after it: the burst is over, so it closes
            // now (else it would stay open, uncounted by the base, until the run ends).
            if (!this.burstActive && !this.stopped) void this.ops.close(s);
          }
        },
        (err) => {
          this.sessionsFailed++;
          this.stats.countError(err);
          if (!burst) this.failures++;
          else if (this.stats.burst) this.stats.burst.failed++;
          this.backoffUntil = performance.now() + OPEN_BACKOFF_MS;
        },
      ),
      () => {
        this.ops.ops.end();
        if (!burst) this.baseOpens--;
        this.checkStep();
        this.pump();
      },
    );
  }

  private checkStep(): void {
    if (!this.stepDone) return;
    const gaveUp = this.failures > this.budget && this.baseOpens === 0;
    if (this.phase === 'ramp' && !this.stopped && this.sessions.base < this.target && !gaveUp) return;
    const done = this.stepDone;
    this.stepDone = null;
    done();
  }
}
