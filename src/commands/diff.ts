import { readSnapshotFile } from '../io/read-snapshot.js';
import { formatDiffText } from '../report/diff-text.js';
import { diffOutput } from '../report/outputs.js';
import { analyzeSnapshot, diffBase, diffSnapshots, type DiffBase } from '../snapshot/index.js';
import { useColor } from '../util/color.js';
import { clearProgress, printParseNotes, readProgress } from './snapshot-progress.js';

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
    process.stdout.write(JSON.stringify(diffOutput(before, after, diff), null, 2) + '\n');
  } else {
    process.stdout.write(formatDiffText(before, after, diff, opts.top, useColor()));
  }
  return 0;
}
