import { sleep } from './interrupt.js';

/** Who stops the run and why: Ctrl-C, the target's death, or a fatal measurement error. */
export class RunControl {
  private readonly controller = new AbortController();
  lost = false;
  lostReason: string | null = null;

  constructor(signal: AbortSignal) {
    if (signal.aborted) this.controller.abort();
    else signal.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  lose(why: string): void {
    if (this.lost) return;
    this.lost = true;
    this.lostReason = why;
    this.controller.abort();
  }

  /** A measurement failed; if the session is gone that is the target's death, else it is noted. */
  failed(err: unknown): void {
    if (err && typeof err === 'object' && (err as Error).name === 'SessionClosedError') {
      this.lose(message(err));
    }
  }
}

/**
 * Calls `take` every `intervalMs` until stopped. Fixed rate: a slow sample shortens the wait after
 * it instead of stretching the period; a sample that overran its slot skips the slots it covered.
 */
export function startSampler(intervalMs: number, run: RunControl, take: () => Promise<void>): { stop(): Promise<void> } {
  let stopping = false;
  const stopper = new AbortController();
  const signal = AbortSignal.any([stopper.signal, run.signal]);
  const loop = (async () => {
    let due = Date.now();
    while (!stopping && !run.stopped) {
      await take();
      due += intervalMs;
      const now = Date.now();
      if (due < now) due = now + intervalMs - ((now - due) % intervalMs);
      await sleep(due - now, signal);
    }
  })();
  return {
    async stop() {
      stopping = true;
      stopper.abort();
      await loop;
    },
  };
}

export function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
