import { readSnapshotFile } from '../io/read-snapshot.js';
import { LeakPass, planLeaks } from '../profile/leak-pass.js';
import type { SnapshotRecord, SnapshotRole } from '../profile/recording.js';
import { formatLeaksText } from '../report/leaks-text.js';
import { leaksOutput } from '../report/outputs.js';
import { analyzeSnapshot, isBrowserHeap, findLeaks, sortedIds } from '../snapshot/index.js';
import { useColor } from '../util/color.js';
import { inputError } from '../util/errors.js';
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
  opts: { json?: boolean; failOnLeak?: boolean; all?: boolean; steady?: string; debug?: boolean },
): Promise<number> {
  if (opts.steady !== undefined) return steadyLeaksCommand(baseline, target, final, opts);
  const before = await idsOf(baseline, opts.debug);
  const middle = await idsOf(target, opts.debug);
  const last = await analyze(final, opts.debug);
  const leaks = findLeaks(before, middle, last, { all: opts.all });
  const browser = isBrowserHeap(last.graph);
  clearProgress();
  if (opts.json) {
    process.stdout.write(JSON.stringify(leaksOutput({ baseline, target, final }, leaks, !opts.all, undefined, browser), null, 2) + '\n');
  } else {
    process.stdout.write(formatLeaksText([baseline, target, final], leaks, !opts.all, useColor(), undefined, browser));
  }
  return opts.failOnLeak && leaks.length > 0 ? 1 : 0;
}

/**
 * With --steady START[,MID]: the session-aware method (see session-leaks.ts) over BASELINE, the
 * steady window START, MID, TARGET, and FINAL, read in that order, one analysis at a time.
 */
async function steadyLeaksCommand(baseline: string, target: string, final: string, opts: { json?: boolean; failOnLeak?: boolean; all?: boolean; steady?: string; debug?: boolean }): Promise<number> {
  if (opts.all) throw inputError('--all and --steady cannot be combined: the steady window is judged on what user code holds');
  const steady = (opts.steady ?? '').split(',').filter((f) => f !== '');
  if (steady.length < 1 || steady.length > 2) throw inputError(`--steady takes START or START,MID (1 or 2 snapshot files), got '${opts.steady}'`);
  const roles: SnapshotRole[] = ['baseline', 'steady-start', ...(steady.length === 2 ? (['steady-mid'] as const) : []), 'steady-end', 'final'];
  const shots: SnapshotRecord[] = [baseline, ...steady, target, final].map((path, i) => ({ path, label: roles[i], t: 0, role: roles[i] }));
  const pass = new LeakPass(planLeaks(shots, true)!, shots);
  for (let i = 0; i < shots.length; i++) pass.take(i, await analyze(shots[i].path, opts.debug));
  clearProgress();
  const result = pass.result();
  if ('error' in result) throw new Error(result.error);
  const { leaks, bounded } = result;
  if (opts.json) {
    process.stdout.write(JSON.stringify(leaksOutput({ baseline, target, final }, leaks, true, { files: steady, bounded }), null, 2) + '\n');
  } else {
    process.stdout.write(formatLeaksText([baseline, target, final], leaks, true, useColor(), { steady, bounded }));
  }
  return opts.failOnLeak && leaks.length > 0 ? 1 : 0;
}
