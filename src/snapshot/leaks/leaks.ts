import { ATTACHED, DETACHED } from '../graph/dom-state.js';
import type { HeapAnalysis } from '../analyze.js';
import { accumulates, candidatePhases, groupKey, groupObjects, groupPath, topCandidates, type RawGroup } from './leak-groups.js';
import { isBrowserHeap } from '../browser/browser-heap.js';
import { userHeldNodes, type UserHeld } from './leak-noise.js';
import { hasId, sortedIds } from '../snapshot-ids.js';


export interface LeakOptions {
  /**
   * Keep everything: V8 internals (code, shapes, hidden and system objects), tiny strings, objects
   * only Node's and V8's caches hold, one-off objects. Paths are then the shortest from a GC root.
   * Default false.
   */
  all?: boolean;
  /** Strings smaller than this are noise unless `all` (default 64 bytes). */
  minStringSize?: number;
  /** Groups with fewer objects are left out unless `all` (default 2: a leak repeats). */
  minCount?: number;
}

export interface LeakGroup {
  /** Class of the leaked objects (DevTools' Summary name). */
  name: string;
  /** DevTools' class key, unique per class. */
  classKey: string;
  /** Leaked objects: created between BASELINE and TARGET, alive in FINAL, not inside another leaked object. */
  count: number;
  /** Bytes they retain in FINAL (their dominator subtrees; disjoint, so summed exactly). */
  retainedSize: number;
  /** Retained bytes of objects of the same group created after TARGET and alive in FINAL: the leak still growing. */
  growthBytes: number;
  /**
   * One retainer path from a GC root to one leaked object, node and edge names interleaved; it
   * runs through the user code that holds the object (the module variable, the global property).
   */
  path: string[];
  /** Snapshot id (in FINAL) of the object `path` leads to. */
  sampleNodeId: number;
  /** For DOM nodes of a browser page whose snapshot records it: whether they are attached to a document or detached. */
  detachedness?: 'attached' | 'detached';
}

/** A snapshot as leak detection needs it: analysed, or only its sorted node ids. */
export type SnapshotRef = HeapAnalysis | Uint32Array;

function idsOf(s: SnapshotRef): Uint32Array {
  return s instanceof Uint32Array ? s : sortedIds(s);
}

/** Resolved `LeakOptions`. */
export function leakSettings(opts: LeakOptions): { all: boolean; minStringSize: number; minCount: number } {
  const all = opts.all ?? false;
  return { all, minStringSize: all ? 0 : (opts.minStringSize ?? 64), minCount: all ? 1 : (opts.minCount ?? 2) };
}

/**
 * Three-snapshot leak detection (the method of memlab and Chrome's three-snapshot technique):
 * objects created after BASELINE and present in TARGET that are still alive in FINAL. Object ids
 * are stable within one process, so "created after" is "id absent from the earlier snapshot".
 *
 * Noise is filtered unless `all`: only JS-level objects (not code, shapes, hidden V8 objects,
 * `system / ...` objects, heap numbers or arrays' backing stores), no tiny strings, only objects
 * user code holds (see `userHeldNodes`: Node's own caches and free lists are not leaks), and only
 * objects not contained in (dominated by) another leaked object: a leaked request object is
 * reported, not its strings. Objects created after TARGET never hide the older objects they
 * contain: a leaked session put into an archive entry when it closes is still the session.
 * The rest is grouped by class and by the shape of the retainer path, largest first; a group is
 * kept when at least `minCount` of its objects pile up in one container that existed at BASELINE
 * (see `accumulates`).
 */
export function findLeaks(baseline: SnapshotRef, target: SnapshotRef, final: HeapAnalysis, opts: LeakOptions = {}): LeakGroup[] {
  const { groups, user } = outlivingGroups(idsOf(baseline), idsOf(target), final, opts);
  const browser = user ? user.browser : isBrowserHeap(final.graph);
  return groups.map((group) => toLeakGroup(final, user, group, browser)).sort(largestFirst);
}

/**
 * The groups of `findLeaks` before they become `LeakGroup`s, with their objects and anchors (the
 * objects alive at BASELINE they hang from), for the session-aware judgement (session-leaks.ts).
 */
export function outlivingGroups(before: Uint32Array, middle: Uint32Array, final: HeapAnalysis, opts: LeakOptions = {}): { groups: RawGroup[]; user: UserHeld | null } {
  const settings = leakSettings(opts);
  const user = settings.all ? null : userHeldNodes(final, before);
  // Phase per object: 1 created BASELINE..TARGET, 2 created after TARGET.
  const phase = candidatePhases(final, user, { minStringSize: settings.minStringSize }, (id) => (hasId(before, id) ? 0 : hasId(middle, id) ? 1 : 2));
  const g = final.graph;
  // In a page, a detached DOM tree is reported as itself even when a leaked listener or closure holds it.
  const detachedDom = user?.browser ? (v: number) => g.nodeType[v] === g.types.native && g.detachedness[v] === DETACHED : undefined;
  const { leaked, growing, own } = topCandidates(final, phase, detachedDom);
  const byKey = groupObjects(final, user, leaked, before, own);
  // Growth: newer objects of the same kind as a leak, outside every leaked object (so no byte is
  // counted twice), less the leaked objects they themselves contain.
  if (byKey.size > 0) {
    for (const [v, bytes] of growing) {
      const group = byKey.get(groupKey(final, user, v));
      if (group) group.growthBytes += bytes;
    }
  }
  const groups = [...byKey.values()].filter((g) => g.nodes.length >= settings.minCount && accumulates(g, settings.minCount));
  return { groups, user };
}

export function toLeakGroup(a: HeapAnalysis, user: UserHeld | null, group: RawGroup, browser = false): LeakGroup {
  const g = a.graph;
  const state = browser && g.nodeType[group.sample] === g.types.native ? g.detachedness[group.sample] : 0;
  return {
    ...(state === DETACHED ? { detachedness: 'detached' as const } : state === ATTACHED ? { detachedness: 'attached' as const } : {}),
    name: group.name,
    classKey: group.classKey,
    count: group.nodes.length,
    retainedSize: group.retainedSize,
    growthBytes: group.growthBytes,
    path: groupPath(a, user, group.sample),
    sampleNodeId: a.graph.nodeId[group.sample],
  };
}

export function largestFirst(a: { retainedSize: number; count: number }, b: { retainedSize: number; count: number }): number {
  return b.retainedSize - a.retainedSize || b.count - a.count;
}
