import { readSnapshotFile } from '../io/read-snapshot.js';
import { formatLeaksText } from '../report/leaks-text.js';
import { leaksOutput } from '../report/outputs.js';
import { analyzeSnapshot } from '../snapshot/analyze.js';
import { findLeaks } from '../snapshot/leaks.js';
import { sortedIds } from '../snapshot/snapshot-ids.js';
import { useColor } from '../util/color.js';
import { clearProgress, printParseNotes, readProgress } from './snapshot-progress.js';

async function analyze(file: string, debug: boolean | undefined) {
  const progress = readProgress(file);
  const raw = await readSnapshotFile(file, { onProgress: progress.update });
  printParseNotes(file, raw.notes, debug);
  progress.done();
  return analyzeSnapshot(raw);
}

/** Of BASELINE and TARGET only the sorted id arrays are kept, so at most one graph is in memory. */
async function idsOf(file: string, debug: boolean | undefined): Promise<Uint32Array> {
  return sortedIds(await analyze(file, debug));
}

/** `memprof leaks BASELINE TARGET FINAL`: leak groups with retainer paths; exit 1 with --fail-on-leak when any. */
export async function leaksCommand(
  baseline: string,
  target: string,
  final: string,
  opts: { json?: boolean; failOnLeak?: boolean; all?: boolean; debug?: boolean },
): Promise<number> {
  const before = await idsOf(baseline, opts.debug);
  const middle = await idsOf(target, opts.debug);
  const leaks = findLeaks(before, middle, await analyze(final, opts.debug), { all: opts.all });
  clearProgress();
  if (opts.json) {
    process.stdout.write(JSON.stringify(leaksOutput({ baseline, target, final }, leaks, !opts.all), null, 2) + '\n');
  } else {
    process.stdout.write(formatLeaksText([baseline, target, final], leaks, !opts.all, useColor()));
  }
  return opts.failOnLeak && leaks.length > 0 ? 1 : 0;
}
