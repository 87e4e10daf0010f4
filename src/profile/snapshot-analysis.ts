import { retainedDistribution } from '../analysis/retained.js';
import { readSnapshotFile } from '../io/read-snapshot.js';
import { analyzeSnapshot, instanceRetainedSizes, programBytes, v8MetadataBytes, type HeapAnalysis, type RawSnapshot } from '../snapshot/index.js';
import { LeakPass, planLeaks } from './leak-pass.js';
import type { ProfileOptions } from './profiler.js';
import { typicalSessionBreakdown } from './session-breakdown.js';
import type { GrowingClass, Recording } from './recording.js';

/**
 * After the run (the target is no longer frozen by anything memprof does), each snapshot read once,
 * in order, at most one analysis in memory at a time:
 * - the snapshot at the top step: the retained size of each session (with load);
 * - leaks (3 snapshots or more): BASELINE (role 'baseline', else the first), TARGET ('steady-end',
 *   else the top step, else the middle one), FINAL ('final', else the last), with the steady window
 *   ('steady-start', 'steady-mid', 'steady-end') when the run took it: see session-leaks.ts;
 * - classes that grow in every snapshot (timed runs).
 */
export async function analyzeSnapshots(rec: Recording, opts: Pick<ProfileOptions, 'snapshots' | 'load' | 'connectionClasses' | 'debug'>, progress: (line: string) => void): Promise<void> {
  const shots = rec.snapshots;
  if (opts.snapshots <= 0) return;
  const load = Boolean(opts.load);
  const topAt = shots.findIndex((s) => s.top);
  if (load && topAt < 0) {
    rec.retained = null;
    rec.notes['connections.retained'] = 'the snapshot at the top step was not taken (the run ended before it)';
  }
  const leakPlan = opts.snapshots >= 3 ? planLeaks(shots, load) : null;
  if (opts.snapshots < 3) {
    // Not set out to measure: the section is left out, and the note says how to get it.
    rec.notes.leaks = 'not looked for: leak detection needs 3 snapshots (--snapshots 3 or more)';
  } else if (!leakPlan) {
    rec.leaks = null;
    rec.notes.leaks = `only ${shots.length} of the ${opts.snapshots} snapshots were taken (the run ended early); leak detection needs 3`;
  }

  // Without load, every snapshot is read for the classes that grow in each one.
  const series = !load && leakPlan ? new ClassSeries(shots.length) : null;
  const leaks = leakPlan ? new LeakPass(leakPlan, shots) : null;
  for (let i = 0; i < shots.length; i++) {
    const retainedHere = load && i === topAt;
    const steadyHere = shots[i].role?.startsWith('steady-') ?? false;
    if (!retainedHere && !steadyHere && !series && !leaks?.wants(i)) continue;
    let analysis: HeapAnalysis;
    try {
      if (leaks?.wants(i)) progress(`reading ${shots[i].path} (${shots[i].role ?? shots[i].label}) for leaks...`);
      analysis = analyzeSnapshot(await readNoted(shots[i].path, opts.debug, progress));
    } catch (err) {
      if (retainedHere) {
        rec.retained = null;
        rec.notes['connections.retained'] = `the snapshot at the top step could not be analysed: ${errMessage(err)}`;
      }
      leaks?.fail(i, err);
      if (series) series.failed = true;
      continue;
    }
    if (retainedHere) retainedPerSession(rec, opts.connectionClasses, analysis, shots[i].path);
    if (steadyHere) {
      (rec.v8Metadata ??= []).push({ t: shots[i].t, bytes: v8MetadataBytes(analysis) });
      (rec.programMemory ??= []).push({ t: shots[i].t, bytes: programBytes(analysis) });
    }
    series?.add(i, analysis);
    leaks?.take(i, analysis);
  }
  if (leaks) leaks.finish(rec, load);
  if (series && !series.failed) rec.growingClasses = series.growingInEverySnapshot();
}

function retainedPerSession(rec: Recording, classes: string[], analysis: HeapAnalysis, file: string): void {
  let best: { name: string; sizes: ArrayLike<number> } | null = null;
  for (const name of classes) {
    const sizes = instanceRetainedSizes(analysis, name);
    if (sizes.length > 0 && (!best || sizes.length > best.sizes.length)) best = { name, sizes };
  }
  if (!best) {
    rec.retained = null;
    rec.notes['connections.retained'] = `no instance of ${classes.join(', ')} in ${file} (use --connection-class)`;
    return;
  }
  rec.retained = retainedDistribution(Array.from(best.sizes), best.name);
  rec.sessionBreakdown = typicalSessionBreakdown(analysis, best.name);
}

/** Reads one of the run's snapshots; under --debug, what the parser tolerated goes to the progress lines. */
async function readNoted(path: string, debug: boolean | undefined, progress: (line: string) => void): Promise<RawSnapshot> {
  const raw = await readSnapshotFile(path);
  if (debug) for (const note of raw.notes) progress(`debug: ${path}: ${note}`);
  return raw;
}

/**
 * Per-class count and shallow size across the snapshots of a timed run. A class whose count and
 * size rise from every snapshot to the next is growing steadily: the second leak signal, next to
 * the three-snapshot method (which only sees what survives from the first to the last).
 */
class ClassSeries {
  private readonly rows = new Map<string, { name: string; counts: number[]; sizes: number[] }>();
  /** A snapshot could not be read: the series has a hole, so no class grows "in every snapshot". */
  failed = false;

  constructor(private readonly snapshots: number) {}

  add(index: number, analysis: HeapAnalysis): void {
    for (const c of analysis.classSummary().classes) {
      let row = this.rows.get(c.key);
      if (!row) this.rows.set(c.key, (row = { name: c.name, counts: new Array(this.snapshots).fill(0), sizes: new Array(this.snapshots).fill(0) }));
      row.counts[index] = c.count;
      row.sizes[index] = c.selfSize;
    }
  }

  growingInEverySnapshot(top = 20): GrowingClass[] {
    const out: GrowingClass[] = [];
    for (const row of this.rows.values()) {
      // V8's internal rows ("(compiled code)", "system / Context") grow with any activity.
      if (row.name.startsWith('(') || row.name.startsWith('system / ')) continue;
      let growing = true;
      for (let i = 1; i < this.snapshots && growing; i++) {
        growing = row.counts[i] > row.counts[i - 1] && row.sizes[i] > row.sizes[i - 1];
      }
      if (!growing) continue;
      out.push({ name: row.name, counts: row.counts, selfSizes: row.sizes, growthBytes: row.sizes[this.snapshots - 1] - row.sizes[0] });
    }
    return out.sort((a, b) => b.growthBytes - a.growthBytes).slice(0, top);
  }
}

function errMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
