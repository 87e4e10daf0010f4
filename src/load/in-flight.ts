/**
 * How many operations of one sort are under way, and a promise for the moment none is: what a
 * still measurement waits for (calls answered, opens and closes done) and what the end of a run
 * drains. Replaces hand-made lists of waiting callbacks.
 */
export class InFlight {
  private n = 0;
  private waiters: Array<() => void> = [];

  get count(): number {
    return this.n;
  }

  begin(): void {
    this.n++;
  }

  end(): void {
    if (--this.n > 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when the count is (or next falls to) zero. */
  idle(): Promise<void> {
    if (this.n === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Counts `p` until it settles; `after` runs just before the count drops. */
  track(p: Promise<void>, after?: () => void): Promise<void> {
    this.begin();
    return p.finally(() => {
      try {
        after?.();
      } finally {
        this.end();
      }
    });
  }
}
