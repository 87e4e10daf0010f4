import { readSnapshotFile } from '../io/read-snapshot.js';
import { formatInspectText } from '../report/inspect-text.js';
import { inspectOutput } from '../report/outputs.js';
import { analyzeSnapshot } from '../snapshot/index.js';
import { useColor } from '../util/color.js';
import { clearProgress, printParseNotes, readProgress } from './snapshot-progress.js';

/** `memprof inspect FILE`: totals and per-class figures of one snapshot (all classes in --json). */
export async function inspectCommand(file: string, opts: { top: number; json?: boolean; debug?: boolean }): Promise<number> {
  const progress = readProgress(file);
  const raw = await readSnapshotFile(file, { onProgress: progress.update });
  printParseNotes(file, raw.notes, opts.debug);
  progress.done();
  const summary = analyzeSnapshot(raw).classSummary();
  clearProgress();
  if (opts.json) {
    process.stdout.write(JSON.stringify(inspectOutput(file, summary), null, 2) + '\n');
  } else {
    process.stdout.write(formatInspectText(file, summary, opts.top, useColor()));
  }
  return 0;
}
