/**
 * A rate turned into whole operations, tick by tick (a token bucket): each tick adds rate × dt,
 * each operation takes one. A capped bucket holds at most a tenth of a second's worth (at least
 * one), so a stall (a slow server, a long GC) is not repaid with a burst. An uncapped one keeps
 * what it owes: tool calls use it, and the caller counts a call it cannot send as missed.
 */
export class Allowance {
  private tokens: number;

  constructor(
    private readonly capped: boolean,
    initial = 0,
  ) {
    this.tokens = initial;
  }

  /** Adds `rate` per second for `dtSec` seconds. */
  accrue(rate: number, dtSec: number): void {
    const tokens = this.tokens + rate * dtSec;
    this.tokens = this.capped ? Math.min(tokens, Math.max(1, rate * 0.1)) : tokens;
  }

  /** Takes one operation's worth if there is one. */
  take(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Starts over with `tokens` (0 after a pause: the pause is not owed; 1 to start at once). */
  reset(tokens = 0): void {
    this.tokens = tokens;
  }

  get available(): number {
    return this.tokens;
  }
}
