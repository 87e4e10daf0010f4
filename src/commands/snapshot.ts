import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { connectTarget, type LiveTarget } from '../inspector/connect.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import { readHeadroom } from '../inspector/headroom.js';
import { listeningSockets } from '../inspector/proc.js';
import { readMemoryUsage } from '../inspector/sampler.js';
import { assessSnapshotRisk } from '../inspector/snapshot-risk.js';
import { parseTargetSpec } from '../inspector/target.js';
import { inputError, InterruptedError, MemprofError } from '../util/errors.js';
import { formatBytes, formatMs } from '../util/units.js';
import { liveProgress } from '../util/tty.js';

export interface SnapshotOptions {
  target: string;
  output?: string;
  allowRemote?: boolean;
  force?: boolean;
}

/**
 * `memprof snapshot`: one heap snapshot of a live process, streamed to disk. Before it starts, the
 * cost is stated and the target's memory headroom checked, because a snapshot can get the target
 * killed by the OOM killer or its container limit.
 */
export async function snapshotCommand(opts: SnapshotOptions): Promise<number> {
  const spec = parseTargetSpec(opts.target);
  if (opts.output) await assertWritableDir(opts.output);

  const interrupt = new AbortController();
  let target: LiveTarget | null = null;
  const onSigint = (): void => {
    if (interrupt.signal.aborted) {
      // Second Ctrl-C: the user does not want to wait for a polite detach.
      process.stderr.write('memprof: interrupted again, exiting now\n');
      process.exit(130);
    }
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  try {
    target = await raceInterrupt(connectTarget(opts.target, { allowRemote: opts.allowRemote, force: opts.force }), interrupt.signal, (t) => t.close());
    const out = resolve(opts.output ?? defaultFileName(target.pid));
    if (!opts.output) await assertWritableDir(out);

    const mem = await raceInterrupt(readMemoryUsage(target.session), interrupt.signal);
    const local = spec.kind === 'pid' || (await isLocalTarget(target.pid, spec.port));
    const headroom = local ? await readHeadroom(target.pid) : { bytes: null, source: 'not local' };
    const risk = assessSnapshotRisk(mem.heapUsed, headroom);
    if (risk.verdict === 'refuse' && !opts.force) {
      throw inputError(`not taking the snapshot of pid ${target.pid}: ${risk.message}; free memory or pass --force to take the risk`);
    }
    process.stderr.write(`memprof: note: ${risk.message}${risk.verdict === 'refuse' ? ' (--force given)' : ''}\n`);

    const progress = liveProgress() ? progressLine(target.pid) : null;
    let result;
    try {
      result = await takeHeapSnapshot(target.session, out, { onProgress: progress?.walked, onReceived: progress?.received, signal: interrupt.signal });
    } finally {
      progress?.done();
    }
    process.stdout.write(`${result.path} ${formatBytes(result.bytes)} (${result.bytes} bytes, pid ${target.pid}, ${formatMs(result.durationMs)})\n`);
    return 0;
  } catch (err) {
    if (interrupt.signal.aborted && !(err instanceof InterruptedError)) throw new InterruptedError('interrupted: no snapshot written');
    throw err;
  } finally {
    if (target) await target.close().catch(() => {});
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** `Heap-<pid>-<YYYYMMDD>T<HHMMSS>.heapsnapshot`, local time like Node's own writeHeapSnapshot. */
export function defaultFileName(pid: number, now = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}T${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `Heap-${pid}-${stamp}.heapsnapshot`;
}

async function assertWritableDir(file: string): Promise<void> {
  const dir = dirname(resolve(file));
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw inputError(`cannot write ${file}: directory ${dir} does not exist or is not writable`);
  }
}

/**
 * The target's /proc entry describes the target only if that process listens on the inspector
 * port we reached (a loopback port may lead into a container with its own pids).
 */
async function isLocalTarget(pid: number, port: number): Promise<boolean> {
  return (await listeningSockets(pid)).some((s) => s.port === port);
}

function raceInterrupt<T>(p: Promise<T>, signal: AbortSignal, lateCleanup?: (v: T) => Promise<void>): Promise<T> {
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

function progressLine(pid: number): { walked(done: number, total: number): void; received(bytes: number): void; done(): void } {
  let shown = false;
  let lastAt = 0;
  let walkedPct = 0;
  const show = (text: string, force = false): void => {
    const now = Date.now();
    if (!force && now - lastAt < 200) return;
    lastAt = now;
    shown = true;
    process.stderr.write(`\r\x1b[Kmemprof: snapshotting pid ${pid}: ${text}`);
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
