import { retainedDistribution } from '../analysis/retained.js';
import { AGENT_SYMBOL } from '../inspector/agent.js';
import { readSnapshotFile } from '../io/read-snapshot.js';
import { analyzeSnapshot, instanceRetainedSizes, type HeapAnalysis } from '../snapshot/analyze.js';
import { findLeaks } from '../snapshot/leaks.js';
import { sortedIds } from '../snapshot/snapshot-ids.js';
import type { RawSnapshot } from '../snapshot/types.js';
import type { ProfileOptions } from './profiler.js';
import { typicalSessionBreakdown } from './session-breakdown.js';
import type { GrowingClass, Recording } from './recording.js';

/**
 * After the run (the target is no longer frozen by anything memprof does): leaks from the first,
 * middle and last snapshots with the engine's three-snapshot method (the middle one is the top
 * step under load), classes that grow in every snapshot (timed runs), and, with load, the retained
 * size of each session in the snapshot at the top step.
 */
export async function analyzeSnapshots(rec: Recording, opts: ProfileOptions, progress: (line: string) => void): Promise<void> {
  const shots = rec.snapshots;
  if (opts.snapshots <= 0) return;

  // The top snapshot's ids, kept from its analysis for the leak method's TARGET (saves a re-read).
  let topIds: Uint32Array | null = null;
  if (opts.load) {
    const top = shots.find((s) => s.top);
    if (!top) {
      rec.retained = null;
      rec.notes['connections.retained'] = 'the snapshot at the top step was not taken (the run ended before it)';
    } else {
      try {
        progress(`analysing ${top.path} for the retained size per session...`);
        const analysis = analyzeSnapshot(await readNoted(top.path, opts, progress));
        let best: { name: string; sizes: ArrayLike<number> } | null = null;
        for (const name of opts.connectionClasses) {
          const sizes = instanceRetainedSizes(analysis, name);
          if (sizes.length > 0 && (!best || sizes.length > best.sizes.length)) best = { name, sizes };
        }
        if (!best) {
          rec.retained = null;
          rec.notes['connections.retained'] = `no instance of ${opts.connectionClasses.join(', ')} in ${top.path} (use --connection-class)`;
        } else {
          rec.retained = retainedDistribution(Array.from(best.sizes), best.name);
          rec.sessionBreakdown = typicalSessionBreakdown(analysis, best.name);
        }
        if (opts.snapshots >= 3) topIds = sortedIds(analysis);
      } catch (err) {
        rec.retained = null;
        rec.notes['connections.retained'] = `the snapshot at the top step could not be analysed: ${errMessage(err)}`;
      }
    }
  }

  if (opts.snapshots < 3) {
    // Not set out to measure: the section is left out, and the note says how to get it.
    rec.notes.leaks = 'not looked for: leak detection needs 3 snapshots (--snapshots 3 or more)';
    return;
  }
  if (shots.length < 3) {
    rec.leaks = null;
    rec.notes.leaks = `only ${shots.length} of the ${opts.snapshots} snapshots were taken (the run ended early); leak detection needs 3`;
    return;
  }
  try {
    const firstAt = 0;
    const lastAt = shots.length - 1;
    const topAt = shots.findIndex((s) => s.top);
    const middleAt = opts.load && topAt >= 0 ? topAt : Math.floor(lastAt / 2);
    progress(`looking for leaks in ${shots[firstAt].path}, ${shots[middleAt].path}, ${shots[lastAt].path}...`);
    // Without load, every snapshot is read once, in order, for the classes that grow in each one;
    // with load only the three the leak method needs. Of the first two only the ids are kept, so
    // at most one whole analysis is in memory at a time.
    const series = opts.load ? null : new ClassSeries(shots.length);
    let baseline: Uint32Array | null = null;
    let target: Uint32Array | null = middleAt === topAt ? topIds : null;
    let final: HeapAnalysis | null = null;
    for (let i = 0; i < shots.length; i++) {
      const wanted = i === firstAt || i === lastAt || (i === middleAt && !target);
      if (!series && !wanted) continue;
      const analysis = analyzeSnapshot(await readNoted(shots[i].path, opts, progress));
      series?.add(i, analysis);
      if (i === firstAt) baseline = sortedIds(analysis);
      else if (i === middleAt && !target) target = sortedIds(analysis);
      if (i === lastAt) final = analysis;
    }
    rec.leaks = findLeaks(baseline!, target!, final!)
      // memprof's own agent in the target (GC observer, forced-GC windows) is created during the
      // run by memprof itself: never the target's leak.
      .filter((l) => !l.path.some((step) => step.includes(AGENT_SYMBOL)))
      .map((l) => ({ name: l.name, count: l.count, retainedSize: l.retainedSize, growthBytes: l.growthBytes, path: l.path }));
    if (series) rec.growingClasses = series.growingInEverySnapshot();
  } catch (err) {
    rec.leaks = null;
    rec.notes.leaks = `leak detection failed: ${errMessage(err)}`;
  }
}

/** Reads one of the run's snapshots; under --debug, what the parser tolerated goes to the progress lines. */
async function readNoted(path: string, opts: ProfileOptions, progress: (line: string) => void): Promise<RawSnapshot> {
  const raw = await readSnapshotFile(path);
  if (opts.debug) for (const note of raw.notes) progress(`debug: ${path}: ${note}`);
  return raw;
}

/**
 * Per-class count and shallow size across the snapshots of a timed run. A class whose count and
 * size rise from every snapshot to the next is growing steadily: the second leak signal, next to
 * the three-snapshot method (which only sees what survives from the first to the last).
 */
class ClassSeries {
  private readonly rows = new Map<string, { name: string; counts: number[]; sizes: number[] }>();

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
