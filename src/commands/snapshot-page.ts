import { guardInterrupts } from '../profile/interrupt.js';
import { resolve } from 'node:path';
import { connectPage, type LivePage } from '../inspector/browser-page.js';
import { InterruptedError } from '../util/errors.js';
import { formatBytes } from '../util/units.js';
import { assertWritableDir, defaultFileName, raceInterrupt, streamSnapshot } from './snapshot-io.js';

/**
 * `memprof snapshot --target HOST:PORT [--page TEXT]` on a browser's remote debugging port: one
 * page's heap snapshot, streamed to disk as for Node. The renderer's process is the browser's to
 * manage, so memprof states the page's JS heap and takes the snapshot (no headroom check: the
 * renderer's pid and limits are not visible from the page's session).
 */
export async function snapshotPageCommand(opts: { target: string; output?: string; allowRemote?: boolean; page?: string }): Promise<number> {
  if (opts.output) await assertWritableDir(opts.output);
  const interrupt = guardInterrupts({ stopping: 'stopping: no snapshot is written, detaching from the page' });
  let page: LivePage | null = null;
  try {
    page = await raceInterrupt(connectPage(opts.target, { page: opts.page, allowRemote: opts.allowRemote }), interrupt.signal, (p) => p.close());
    const out = resolve(opts.output ?? defaultFileName('page'));
    if (!opts.output) await assertWritableDir(out);
    const name = page.url ? `page "${page.title}" ${page.url}` : 'the page';
    const heap = await raceInterrupt(page.session.send('Runtime.getHeapUsage', {}) as Promise<{ usedSize: number; totalSize: number }>, interrupt.signal).catch(() => null);
    process.stderr.write(`memprof: note: snapshotting ${name}${heap ? `: JS heap ${formatBytes(heap.usedSize)} used of ${formatBytes(heap.totalSize)}` : ''}\n`);
    await streamSnapshot(page.session, out, interrupt.signal, 'the page', `${name}`);
    return 0;
  } catch (err) {
    if (interrupt.signal.aborted && !(err instanceof InterruptedError)) throw new InterruptedError('interrupted: no snapshot written');
    throw err;
  } finally {
    if (page) await page.close().catch(() => {});
    interrupt.dispose();
  }
}
