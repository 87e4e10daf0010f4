import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { inputError, InterruptedError, MemprofError } from '../util/errors.js';
import { formatBytes, formatMs } from '../util/units.js';
import { liveProgress } from '../util/tty.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import type { CdpSession } from '../inspector/session.js';

/** What `snapshot` does the same way for a Node process and for a browser page. */

/** `Heap-<pid>-<YYYYMMDD>T<HHMMSS>.heapsnapshot` (`Heap-page-...` for a browser page), local time like Node's own writeHeapSnapshot. */
export function defaultFileName(pid: number | 'page', now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}T${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `Heap-${pid}-${stamp}.heapsnapshot`;
}

export async function assertWritableDir(file: string): Promise<void> {
  const dir = dirname(resolve(file));
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw inputError(`cannot write ${file}: directory ${dir} does not exist or is not writable`);
  }
}

export function raceInterrupt<T>(p: Promise<T>, signal: AbortSignal, lateCleanup?: (v: T) => Promise<void>): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = (): void => reject(new InterruptedError('interrupted: no snapshot written'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) void lateCleanup?.(v).catch(() => {});
        resolvePromise(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof MemprofError || e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function progressLine(what: string): { walked(done: number, total: number): void; received(bytes: number): void; done(): void } {
  let shown = false;
  let lastAt = 0;
  let walkedPct = 0;
  const show = (text: string, force = false): void => {
    const now = Date.now();
    if (!force && now - lastAt < 200) return;
    lastAt = now;
    shown = true;
    process.stderr.write(`\r\x1b[Kmemprof: snapshotting ${what}: ${text}`);
  };
  return {
    walked(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      if (pct === walkedPct) return;
      walkedPct = pct;
      show(`${pct}% of the heap walked`, pct === 100);
    },
    received(bytes) {
      show(`heap walked, ${formatBytes(bytes)} written`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * Streams the session's heap snapshot to `out` with the live progress line on a terminal, then
 * prints the result line on stdout (`who`: what was snapshotted, e.g. `pid 42`).
 */
export async function streamSnapshot(session: CdpSession, out: string, signal: AbortSignal, progressWhat: string, who: string): Promise<void> {
  const progress = liveProgress() ? progressLine(progressWhat) : null;
  let result;
  try {
    result = await takeHeapSnapshot(session, out, { onProgress: progress?.walked, onReceived: progress?.received, signal });
  } finally {
    progress?.done();
  }
  process.stdout.write(`${result.path} ${formatBytes(result.bytes)} (${result.bytes} bytes, ${who}, ${formatMs(result.durationMs)})\n`);
}
