import { readSnapshotFile } from '../io/read-snapshot.js';
import { formatLeaksText } from '../report/leaks-text.js';
import { analyzeSnapshot } from '../snapshot/analyze.js';
import { findLeaks } from '../snapshot/leaks.js';
import { sortedIds } from '../snapshot/snapshot-ids.js';
import { useColor } from '../util/color.js';
import { clearProgress, readProgress } from './snapshot-progress.js';

export const LEAKS_SCHEMA = 'memprof/leaks@1';

async function analyze(file: string) {
  const progress = readProgress(file);
  const raw = await readSnapshotFile(file, { onProgress: progress.update });
  progress.done();
  return analyzeSnapshot(raw);
}

/** Of BASELINE and TARGET only the sorted id arrays are kept, so at most one graph is in memory. */
async function idsOf(file: string): Promise<Uint32Array> {
  return sortedIds(await analyze(file));
}

/** `memprof leaks BASELINE TARGET FINAL`: leak groups with retainer paths; exit 1 with --fail-on-leak when any. */
export async function leaksCommand(
  baseline: string,
  target: string,
  final: string,
  opts: { json?: boolean; failOnLeak?: boolean; all?: boolean },
): Promise<number> {
  const before = await idsOf(baseline);
  const middle = await idsOf(target);
  const leaks = findLeaks(before, middle, await analyze(final), { all: opts.all });
  clearProgress();
  if (opts.json) {
    const out = {
      schema: LEAKS_SCHEMA,
      baseline,
      target,
      final,
      filtered: !opts.all,
      leaks: leaks.map((l) => ({ name: l.name, count: l.count, retainedSize: l.retainedSize, growthBytes: l.growthBytes, path: l.path })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(formatLeaksText([baseline, target, final], leaks, !opts.all, useColor()));
  }
  return opts.failOnLeak && leaks.length > 0 ? 1 : 0;
}
