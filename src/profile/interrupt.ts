/**
 * Ctrl-C handling for the long-running commands: the first SIGINT (or SIGTERM) asks the run to stop
 * and keep what was measured; a second one exits at once, after `onForce` (e.g. killing the target
 * that `run` started, which must never outlive memprof, and taking the dashboard down first so
 * the terminal is left clean).
 */
export interface InterruptGuard {
  readonly signal: AbortSignal;
  /** Which signal stopped the run, if any. */
  readonly received: NodeJS.Signals | null;
  dispose(): void;
}

const STOPPING = 'stopping: closing what memprof opened and writing what was measured';

/**
 * The one Ctrl-C handler of memprof's commands. `stopping` says what the first Ctrl-C does (the
 * line adds "Ctrl-C again to exit at once"); `say` is where that line goes (above the live
 * dashboard, when one is drawn; stderr otherwise).
 */
export function guardInterrupts(
  opts: { onFirst?: (sig: NodeJS.Signals) => void; onForce?: () => void; stopping?: string; say?: (line: string) => void } = {},
): InterruptGuard {
  const say = opts.say ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (sig: NodeJS.Signals): void => {
    if (received === null) {
      received = sig;
      say(`\nmemprof: ${opts.stopping ?? STOPPING} (Ctrl-C again to exit at once)`);
      opts.onFirst?.(sig);
      controller.abort(new Error(`interrupted by ${sig}`));
      return;
    }
    try {
      opts.onForce?.();
    } finally {
      process.stderr.write('memprof: interrupted again, exiting at once\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Resolves after `ms`, or early when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
