import { readSnapshotFile } from '../io/read-snapshot.js';
import { formatDiffText } from '../report/diff-text.js';
import { analyzeSnapshot } from '../snapshot/analyze.js';
import { diffBase, diffSnapshots, type DiffBase } from '../snapshot/diff.js';
import { useColor } from '../util/color.js';
import { clearProgress, printParseNotes, readProgress } from './snapshot-progress.js';

export const DIFF_SCHEMA = 'memprof/diff@1';

async function baseOf(file: string, debug: boolean | undefined): Promise<DiffBase> {
  const progress = readProgress(file);
  const raw = await readSnapshotFile(file, { onProgress: progress.update });
  printParseNotes(file, raw.notes, debug);
  progress.done();
  // Only the summary and the id array survive this function: BEFORE's graph is freed before AFTER is read.
  return diffBase(analyzeSnapshot(raw));
}

/** `memprof diff BEFORE AFTER`: per-class deltas and the objects new in AFTER. */
export async function diffCommand(before: string, after: string, opts: { top: number; json?: boolean; debug?: boolean }): Promise<number> {
  const base = await baseOf(before, opts.debug);
  const progress = readProgress(after);
  const raw = await readSnapshotFile(after, { onProgress: progress.update });
  printParseNotes(after, raw.notes, opts.debug);
  progress.done();
  const diff = diffSnapshots(base, analyzeSnapshot(raw));
  clearProgress();
  if (!diff.sameProcess) {
    process.stderr.write(
      `memprof: warning: ${before} and ${after} look like snapshots of different processes (${(diff.idMismatchRatio * 100).toFixed(0)}% of shared ids name different objects): new-object figures are not meaningful\n`,
    );
  }
  if (opts.json) {
    const out = {
      schema: DIFF_SCHEMA,
      before,
      after,
      sameProcess: diff.sameProcess,
      classes: diff.classes.map((c) => ({
        name: c.name,
        countBefore: c.countBefore,
        countAfter: c.countAfter,
        countDelta: c.countDelta,
        sizeDelta: c.sizeDelta,
        newCount: c.newCount,
        newSize: c.newSize,
        sizeBefore: c.sizeBefore,
        sizeAfter: c.sizeAfter,
        retainedBefore: c.retainedBefore,
        retainedAfter: c.retainedAfter,
        ...(c.location ? { location: c.location } : {}),
      })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(formatDiffText(before, after, diff, opts.top, useColor()));
  }
  return 0;
}
