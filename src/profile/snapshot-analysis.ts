import { retainedDistribution } from '../analysis/retained.js';
import { AGENT_SYMBOL } from '../inspector/agent.js';
import { readSnapshotFile } from '../io/read-snapshot.js';
import { analyzeSnapshot, instanceRetainedSizes } from '../snapshot/analyze.js';
import { findLeaks } from '../snapshot/leaks.js';
import { sortedIds } from '../snapshot/snapshot-ids.js';
import type { ProfileOptions } from './profiler.js';
import { typicalSessionBreakdown } from './session-breakdown.js';
import type { Recording } from './recording.js';

/**
 * After the run (the target is no longer frozen by anything memprof does): leaks from the first,
 * middle and last snapshots with the engine's three-snapshot method, and, with load, the retained
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
        const analysis = analyzeSnapshot(await readSnapshotFile(top.path));
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
    const [first, middle, last] = [shots[0], opts.load ? (shots.find((s) => s.top) ?? shots[Math.floor(shots.length / 2)]) : shots[Math.floor((shots.length - 1) / 2)], shots[shots.length - 1]];
    progress(`looking for leaks in ${first.path}, ${middle.path}, ${last.path}...`);
    // Only the ids of the first two are needed: each analysis is dropped as soon as its ids are
    // taken, so at most one whole snapshot is in memory at a time.
    const baseline = sortedIds(analyzeSnapshot(await readSnapshotFile(first.path)));
    const target = middle.top && topIds ? topIds : sortedIds(analyzeSnapshot(await readSnapshotFile(middle.path)));
    const final = analyzeSnapshot(await readSnapshotFile(last.path));
    rec.leaks = findLeaks(baseline, target, final)
      // memprof's own agent in the target (GC observer, forced-GC windows) is created during the
      // run by memprof itself: never the target's leak.
      .filter((l) => !l.path.some((step) => step.includes(AGENT_SYMBOL)))
      .map((l) => ({ name: l.name, count: l.count, retainedSize: l.retainedSize, growthBytes: l.growthBytes, path: l.path }));
  } catch (err) {
    rec.leaks = null;
    rec.notes.leaks = `leak detection failed: ${errMessage(err)}`;
  }
}

function errMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
