import { setTimeout as delay } from 'node:timers/promises';

/**
 * The waits of a run that its end must cut short: the hold's timer, a back-off. After stop(),
 * every sleep under way resolves at once and later ones do not wait at all.
 */
export class Sleeper {
  private stopped = false;
  private readonly wakeups = new Set<() => void>();

  get isStopped(): boolean {
    return this.stopped;
  }

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const wake of [...this.wakeups]) wake();
  }
}

/** Resolves when `done()` holds (checked every `everyMs`), or after `limitMs`. */
export async function until(done: () => boolean, limitMs: number, everyMs = 5): Promise<void> {
  const start = performance.now();
  while (!done() && performance.now() - start < limitMs) await delay(everyMs);
}
