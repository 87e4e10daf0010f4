import type { Session } from './session-set.js';

/**
 * Which sessions churn closes next: a queue in order of deadline (each session's open time plus
 * --lifetime; with --churn-rate, the oldest first at that rate). Sessions closed some other way
 * are skipped when they reach the head.
 */
export class ChurnQueue {
  private queue: Session[] = [];
  private head = 0;

  /**
   * Starts churn over the sessions open now: their deadlines are spread over one lifetime, so the
   * close rate is steady from the start instead of everything expiring together.
   */
  start(current: Session[], now: number, lifetimeMs: number): void {
    current.forEach((s, i) => (s.deadline = now + ((i + 1) / current.length) * lifetimeMs));
    this.queue = current;
    this.head = 0;
  }

  /** A session opened during churn: it lives one lifetime. */
  add(s: Session, now: number, lifetimeMs: number): void {
    s.deadline = now + lifetimeMs;
    this.queue.push(s);
  }

  /** The oldest open session whose deadline is before `now` (Infinity: the oldest), or null. */
  next(now: number): Session | null {
    let victim: Session | null = null;
    while (this.head < this.queue.length) {
      const s = this.queue[this.head];
      if (s.index >= 0 && s.deadline > now) break;
      this.head++;
      if (s.index >= 0) {
        victim = s;
        break;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return victim;
  }

  get length(): number {
    return this.queue.length - this.head;
  }
}
