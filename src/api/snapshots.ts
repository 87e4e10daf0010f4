import { readSnapshotFile, type ReadSnapshotOptions } from '../io/read-snapshot.js';
import { diffOutput, inspectOutput, leaksOutput, type DiffOutput, type InspectOutput, type LeaksOutput } from '../report/outputs.js';
import { analyzeSnapshot, type HeapAnalysis, diffBase, diffSnapshots, isBrowserHeap, findLeaks, type LeakOptions, sortedIds } from '../snapshot/index.js';

/**
 * File in, `--json` output out: what `memprof inspect|diff|leaks --json` print, as objects. Each
 * keeps at most one snapshot graph in memory at a time, as the commands do.
 */

/** Reads and analyses one snapshot file (.heapsnapshot or .heapsnapshot.gz, any size). */
export async function analyzeSnapshotFile(file: string, opts: ReadSnapshotOptions = {}): Promise<HeapAnalysis> {
  return analyzeSnapshot(await readSnapshotFile(file, opts));
}

/** `memprof inspect FILE --json`: totals and every class, as DevTools' Summary view. */
export async function inspectFile(file: string): Promise<InspectOutput> {
  return inspectOutput(file, (await analyzeSnapshotFile(file)).classSummary());
}

/** `memprof diff BEFORE AFTER --json`: per-class changes and the objects new in AFTER. */
export async function diffFiles(before: string, after: string): Promise<DiffOutput> {
  const base = diffBase(await analyzeSnapshotFile(before));
  return diffOutput(before, after, diffSnapshots(base, await analyzeSnapshotFile(after)));
}

/** `memprof leaks BASELINE TARGET FINAL --json`: objects created between BASELINE and TARGET still alive in FINAL, grouped. */
export async function leaksInFiles(baseline: string, target: string, final: string, opts: LeakOptions = {}): Promise<LeaksOutput> {
  const before = sortedIds(await analyzeSnapshotFile(baseline));
  const middle = sortedIds(await analyzeSnapshotFile(target));
  const last = await analyzeSnapshotFile(final);
  const leaks = findLeaks(before, middle, last, opts);
  return leaksOutput({ baseline, target, final }, leaks, !opts.all, undefined, isBrowserHeap(last.graph));
}
