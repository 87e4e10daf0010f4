import type { HeapAnalysis } from '../analyze.js';
import { hasId } from '../snapshot-ids.js';
import { containerEntries, sizesIn, sizesOf, type SnapshotDigest } from './window-digest.js';

/**
 * Did a set of containers grow across the steady window? The window's snapshots are taken at the
 * same number of open sessions with the load paused, so a bounded container (an LRU Map at its
 * bound, a ring buffer, a pool's free list, a warmed-up cache) holds the same number of things in
 * each, whatever it replaced in between; a leak holds more in each than in the one before.
 */

/** The window's snapshots in order: steady-start, steady-mid (when taken), steady-end. */
export type WindowDigests = SnapshotDigest[];

/** Summed sizes of a set of containers in each of the window's snapshots. */
export interface ContainerSeries {
  /** Containers measured in every snapshot of the window (the others are left out of the sums). */
  measured: number;
  entries: number[];
  shallow: number[];
  retained: number[];
}

export function containerSeries(ids: Iterable<number>, window: WindowDigests): ContainerSeries {
  const out: ContainerSeries = { measured: 0, entries: window.map(() => 0), shallow: window.map(() => 0), retained: window.map(() => 0) };
  for (const id of ids) {
    const sizes = window.map((d) => sizesOf(d, id));
    if (sizes.some((s) => s === null)) continue;
    out.measured++;
    sizes.forEach((s, i) => {
      out.entries[i] += s!.entries;
      out.shallow[i] += s!.shallow;
      out.retained[i] += s!.retained;
    });
  }
  return out;
}

/** Larger in every snapshot than in the one before: growth in each half of the window, not one step. */
export function rises(xs: number[]): boolean {
  if (xs.length < 2) return false;
  for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) return false;
  return true;
}

/**
 * Why the containers count as growing, or null when they are bounded: they hold more things in
 * each snapshot (a leak adds entries; a bounded container replaces them), or their own size
 * rises in each (a store reallocated as it grows: an array of numbers gains no objects).
 * Retained size alone does not decide: it drifts with what the entries hold (a reply replaced by
 * a slightly longer one, a counter's string gaining a digit) without anything accumulating.
 */
export function growthEvidence(s: ContainerSeries): string | null {
  if (s.measured === 0) return null;
  if (rises(s.entries)) return `entries ${s.entries.join(' → ')}`;
  // A store that grew while the entries did not is a table rehashed or a backing store resized
  // for the same contents, unless there are no entries to count (an array of numbers).
  if (rises(s.shallow) && s.entries.every((e) => e === 0)) return `shallow size ${s.shallow.map(kib).join(' → ')}`;
  return null;
}

export function boundedEvidence(s: ContainerSeries): string {
  if (s.measured === 0) return 'its container could not be measured across the window';
  return `entries ${s.entries.join(' → ')}, retained ${s.retained.map(kib).join(' → ')} across the window`;
}

/** Shallow-size growth of the containers from the first to the last snapshot of the window (their stores reallocated). */
export function storeGrowth(ids: Iterable<number>, first: SnapshotDigest, last: SnapshotDigest): number {
  let bytes = 0;
  for (const id of ids) {
    const a = sizesOf(first, id);
    const b = sizesOf(last, id);
    if (a && b && b.shallow > a.shallow) bytes += b.shallow - a.shallow;
  }
  return bytes;
}

/**
 * Did the containers grow when the sessions closed (steady-end to final), with objects created
 * after BASELINE? An archive of closed sessions does, at the close (even when no session closed
 * during the window). A pool's free list grows too, but with the pooled objects it handed out,
 * most of them older than BASELINE; an LRU or a ring buffer does not change.
 */
export function closeEvidence(anchors: number[], end: SnapshotDigest, final: HeapAnalysis, baseline: Uint32Array): string | null {
  const g = final.graph;
  let atEnd = 0;
  let atFinal = 0;
  let fresh = 0;
  for (const v of anchors) {
    const before = sizesOf(end, g.nodeId[v]);
    if (!before) continue;
    atEnd += before.entries;
    atFinal += sizesIn(final, v).entries;
    fresh += containerEntries(g, v, (to) => !hasId(baseline, g.nodeId[to]));
  }
  const gained = atFinal - atEnd;
  if (gained <= 0 || fresh * 2 < gained) return null;
  return `entries ${atEnd} → ${atFinal} when the sessions closed, ${fresh} of them objects created during the run`;
}

function kib(bytes: number): string {
  return bytes < 10_240 ? `${Math.round(bytes)} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
