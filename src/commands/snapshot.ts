import { guardInterrupts } from '../profile/interrupt.js';
import { resolve } from 'node:path';
import { connectTarget, type LiveTarget } from '../inspector/connect.js';
import { targetHeadroom } from '../inspector/headroom.js';
import { readMemoryUsage } from '../inspector/sampler.js';
import { assessSnapshotRisk } from '../inspector/snapshot-risk.js';
import { parseTargetSpec } from '../inspector/target.js';
import { inputError, InterruptedError } from '../util/errors.js';
import { isBrowserTarget } from '../inspector/browser-page.js';
import { assertWritableDir, defaultFileName, raceInterrupt, streamSnapshot } from './snapshot-io.js';

export { defaultFileName } from './snapshot-io.js';
import { snapshotPageCommand } from './snapshot-page.js';

export interface SnapshotOptions {
  target: string;
  output?: string;
  allowRemote?: boolean;
  force?: boolean;
  /** A browser target's page: part of its URL or title. */
  page?: string;
}

/**
 * `memprof snapshot`: one heap snapshot of a live process, streamed to disk. Before it starts, the
 * cost is stated and the target's memory headroom checked, because a snapshot can get the target
 * killed by the OOM killer or its container limit.
 */
export async function snapshotCommand(opts: SnapshotOptions): Promise<number> {
  const spec = parseTargetSpec(opts.target);
  if (opts.page !== undefined || (spec.kind === 'hostport' && (await isBrowserTarget(opts.target, { allowRemote: opts.allowRemote }).catch(() => false)))) {
    return snapshotPageCommand(opts);
  }
  if (opts.output) await assertWritableDir(opts.output);

  const interrupt = guardInterrupts({ stopping: 'stopping: no snapshot is written, detaching from the target' });
  let target: LiveTarget | null = null;

  try {
    target = await raceInterrupt(connectTarget(opts.target, { allowRemote: opts.allowRemote, force: opts.force }), interrupt.signal, (t) => t.close());
    const out = resolve(opts.output ?? defaultFileName(target.pid));
    if (!opts.output) await assertWritableDir(out);

    const mem = await raceInterrupt(readMemoryUsage(target.session), interrupt.signal);
    const headroom = await targetHeadroom(target.pid, target.url);
    const risk = assessSnapshotRisk(mem.heapUsed, headroom);
    if (risk.verdict === 'refuse' && !opts.force) {
      throw inputError(`not taking the snapshot of pid ${target.pid}: ${risk.message}; free memory or pass --force to take the risk`);
    }
    process.stderr.write(`memprof: note: ${risk.message}${risk.verdict === 'refuse' ? ' (--force given)' : ''}\n`);

    await streamSnapshot(target.session, out, interrupt.signal, `pid ${target.pid}`, `pid ${target.pid}`);
    return 0;
  } catch (err) {
    if (interrupt.signal.aborted && !(err instanceof InterruptedError)) throw new InterruptedError('interrupted: no snapshot written');
    throw err;
  } finally {
    if (target) await target.close().catch(() => {});
    interrupt.dispose();
  }
}
