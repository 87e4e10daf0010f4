import { resolve } from 'node:path';
import { connectPage, type LivePage } from '../inspector/browser-page.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import { InterruptedError } from '../util/errors.js';
import { liveProgress } from '../util/tty.js';
import { formatBytes, formatMs } from '../util/units.js';
import { assertWritableDir, defaultFileName, interruptOnSignals, progressLine, raceInterrupt } from './snapshot-io.js';

/**
 * `memprof snapshot --target HOST:PORT [--page TEXT]` on a browser's remote debugging port: one
 * page's heap snapshot, streamed to disk as for Node. The renderer's process is the browser's to
 * manage, so memprof states the page's JS heap and takes the snapshot (no headroom check: the
 * renderer's pid and limits are not visible from the page's session).
 */
export async function snapshotPageCommand(opts: { target: string; output?: string; allowRemote?: boolean; page?: string }): Promise<number> {
  if (opts.output) await assertWritableDir(opts.output);
  const interrupt = interruptOnSignals('stopping: no snapshot is written, detaching from the page');
  let page: LivePage | null = null;
  try {
    page = await raceInterrupt(connectPage(opts.target, { page: opts.page, allowRemote: opts.allowRemote }), interrupt.signal, (p) => p.close());
    const out = resolve(opts.output ?? defaultFileName('page'));
    if (!opts.output) await assertWritableDir(out);
    const name = page.url ? `page "${page.title}" ${page.url}` : 'the page';
    const heap = await raceInterrupt(page.session.send('Runtime.getHeapUsage', {}) as Promise<{ usedSize: number; totalSize: number }>, interrupt.signal).catch(() => null);
    process.stderr.write(`memprof: note: snapshotting ${name}${heap ? `: JS heap ${formatBytes(heap.usedSize)} used of ${formatBytes(heap.totalSize)}` : ''}\n`);
    const progress = liveProgress() ? progressLine('the page') : null;
    let result;
    try {
      result = await takeHeapSnapshot(page.session, out, { onProgress: progress?.walked, onReceived: progress?.received, signal: interrupt.signal });
    } finally {
      progress?.done();
    }
    process.stdout.write(`${result.path} ${formatBytes(result.bytes)} (${result.bytes} bytes, ${name}, ${formatMs(result.durationMs)})\n`);
    return 0;
  } catch (err) {
    if (interrupt.signal.aborted && !(err instanceof InterruptedError)) throw new InterruptedError('interrupted: no snapshot written');
    throw err;
  } finally {
    if (page) await page.close().catch(() => {});
    interrupt.dispose();
  }
}
