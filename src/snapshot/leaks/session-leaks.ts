import type { HeapAnalysis } from '../analyze.js';
import { accumulates, candidatePhases, groupKey, groupObjects, groupPath, topCandidates } from './leak-groups.js';
import { NONE, userHeldNodes, type UserHeld } from './leak-noise.js';
import { largestFirst, leakSettings, outlivingGroups, toLeakGroup, type LeakGroup, type LeakOptions } from './leaks.js';
import { hasId } from '../snapshot-ids.js';
import { walkTree } from '../graph/tree-walk.js';
import { digestSnapshot, isMeasured, sizesOf, sortByKey, type SnapshotDigest } from './window-digest.js';
import { boundedEvidence, closeEvidence, containerSeries, growthEvidence, rises, storeGrowth, type WindowDigests } from './window-growth.js';

/**
 * Leak detection for a server under steady load, from the run's snapshots: BASELINE (before the
 * load), steady-start, steady-mid and steady-end (the settled window, all at the same number of
 * open sessions, the load paused), FINAL (after every session closed).
 *
 * - Outliving sessions (`findOutlivingLeaks`): the three-snapshot method with TARGET =
 *   steady-end, each group then judged on its container across the window: a container that did
 *   not grow (an LRU at its bound, a pool's free list, a ring buffer) is bounded, not a leak.
 * - Growing with live sessions (`findLiveGrowth`): objects created during the window, alive at its
 *   end, piling up in containers that existed at its start and grew across it (a session's request
 *   log); and pre-existing containers whose own store grew across it (an array of numbers).
 *
 * Bounded or growing is decided from sizes across the window, never from class names. Noise is
 * always filtered here (`LeakOptions.all` is ignored): the window is judged on what user code holds.
 */

export type LeakKind = 'outlives-sessions' | 'grows-with-live-sessions';

/** What a group gained over the steady window. */
export interface WindowGain {
  /** Its objects created during the window and alive at its end (0 for a container's own store). */
  objects: number;
  /** What they retain, plus what its containers' stores grew by. */
  bytes: number;
}

export interface SessionLeak extends LeakGroup {
  kind: LeakKind;
  /** Null when the run has no steady window to measure it over. */
  window: WindowGain | null;
  /** Why it counts as a leak: its containers' sizes across the window, or at the close. */
  evidence: string;
  /** Class and path shape: a group found by both methods is one group. */
  key: string;
}

/** A group set aside because its container stayed bounded. */
export interface BoundedGroup {
  key: string;
  name: string;
  count: number;
  path: string[];
  evidence: string;
}

/** A group of the window method, with what the FINAL step needs to tell whether it outlives the sessions. */
export interface LiveLeak extends SessionLeak {
  /** Ids of its objects, or of the containers whose store grew (`containers`). */
  members: Uint32Array;
  containers: boolean;
}

/** The digest of a snapshot of the window, user-held objects judged against BASELINE. */
export function windowDigest(a: HeapAnalysis, baseline: Uint32Array): SnapshotDigest {
  return digestSnapshot(a, userHeldNodes(a, baseline));
}

/**
 * The window method at steady-end. `window`: digests of steady-start and, when taken, steady-mid.
 * Returns the groups, those set aside as bounded, and the digest of `end` (for `findOutlivingLeaks`).
 */
export function findLiveGrowth(
  baseline: Uint32Array,
  window: WindowDigests,
  end: HeapAnalysis,
  opts: LeakOptions = {},
): { leaks: LiveLeak[]; bounded: BoundedGroup[]; endDigest: SnapshotDigest } {
  const settings = leakSettings({ ...opts, all: false });
  const user = userHeldNodes(end, baseline);
  const endDigest = digestSnapshot(end, user);
  const digests = [...window, endDigest];
  const start = window[0];
  const g = end.graph;
  const phase = candidatePhases(end, user, settings, (id) => (hasId(start.ids, id) ? 0 : 1));
  const { leaked } = topCandidates(end, phase);
  const leaks: LiveLeak[] = [];
  const bounded: BoundedGroup[] = [];
  const isAnchor = new Uint8Array(g.nodeCount);
  for (const group of groupObjects(end, user, leaked, start.ids).values()) {
    if (group.nodes.length < settings.minCount || !accumulates(group, settings.minCount)) continue;
    const anchorIds = [...group.anchors.keys()].filter((v) => v !== g.rootOrdinal).map((v) => g.nodeId[v]);
    const series = containerSeries(anchorIds, digests);
    const evidence = growthEvidence(series);
    const base = toLeakGroup(end, user, group);
    if (!evidence) {
      bounded.push({ key: group.key, name: base.name, count: base.count, path: base.path, evidence: boundedEvidence(series) });
      continue;
    }
    for (const v of group.anchors.keys()) isAnchor[v] = 1;
    // The containers' stores grew to hold the new objects: part of what the window gained.
    const bytes = group.retainedSize + storeGrowth(anchorIds, start, endDigest);
    leaks.push({
      ...base,
      growthBytes: bytes,
      kind: 'grows-with-live-sessions',
      window: { objects: base.count, bytes },
      evidence: `${evidence} across the window`,
      key: group.key,
      members: Uint32Array.from(group.nodes, (v) => g.nodeId[v]),
      containers: false,
    });
  }
  leaks.push(...storeGrowthGroups(end, user, digests, isAnchor));
  return { leaks, bounded, endDigest };
}

/**
 * Containers alive at steady-start whose own size (their backing store: no separate objects)
 * rose across the window, grouped by class and path shape; a group counts when its summed size
 * rose in every snapshot. Containers the new-object groups already account for are left out.
 */
const MIN_STORE_GROWTH = 1024;

function storeGrowthGroups(end: HeapAnalysis, user: UserHeld, digests: SnapshotDigest[], skip: Uint8Array): LiveLeak[] {
  const g = end.graph;
  const first = digests[0];
  const last = digests.length - 1;
  const groups = new Map<string, { nodes: number[]; shallow: number[]; retained: number; growth: number; sample: number; sampleGrowth: number }>();
  for (let v = 0; v < g.nodeCount; v++) {
    // Where the walk over user code starts (the global object, a module's functions) is the
    // program's frame, not a container it fills: what it holds is judged on its own.
    if (skip[v] || g.nodeType[v] !== g.types.object || !isMeasured(g, user, v) || user.parentNode[v] === NONE) continue;
    const id = g.nodeId[v];
    const before = sizesOf(first, id);
    if (!before || g.selfSize[v] <= before.shallow) continue;
    const shallow: number[] = [before.shallow];
    for (let i = 1; i < last; i++) shallow.push(sizesOf(digests[i], id)?.shallow ?? NaN);
    shallow.push(g.selfSize[v]);
    if (shallow.some((s, i) => !(i === 0 || s >= shallow[i - 1]))) continue;
    if (end.className(v).startsWith('system / ')) continue;
    const key = groupKey(end, user, v);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { nodes: [], shallow: shallow.map(() => 0), retained: 0, growth: 0, sample: v, sampleGrowth: 0 }));
    group.nodes.push(v);
    shallow.forEach((s, i) => (group.shallow[i] += s));
    group.retained += end.retainedSize[v];
    const growth = g.selfSize[v] - before.shallow;
    group.growth += growth;
    if (growth > group.sampleGrowth) {
      group.sample = v;
      group.sampleGrowth = growth;
    }
  }
  const out: LiveLeak[] = [];
  for (const [key, group] of groups) {
    // Under a KiB over the whole window is a property or two added lazily, not an accumulation.
    if (!rises(group.shallow) || group.growth < MIN_STORE_GROWTH) continue;
    const v = group.sample;
    out.push({
      name: end.className(v),
      classKey: end.classKey(v),
      count: group.nodes.length,
      retainedSize: group.retained,
      growthBytes: group.growth,
      path: groupPath(end, user, v),
      sampleNodeId: g.nodeId[v],
      kind: 'grows-with-live-sessions',
      window: { objects: 0, bytes: group.growth },
      evidence: `shallow size ${group.shallow.map((s) => `${Math.round(s)} B`).join(' → ')} across the window (its store grows; what it holds are no separate objects)`,
      key,
      members: Uint32Array.from(group.nodes, (n) => g.nodeId[n]),
      containers: true,
    });
  }
  return out;
}

/** What `mergeSessionLeaks` needs of FINAL. */
export interface FinalView {
  digest: SnapshotDigest;
  /**
   * Ids of the reported groups' objects and of everything inside them (their dominator subtrees),
   * sorted; for each, `2 * group index`, plus 1 for a group's own object.
   */
  ownedIds: Uint32Array;
  owner: Uint32Array;
}

/**
 * The three-snapshot method with TARGET = steady-end, each group judged on its containers (the
 * objects alive at BASELINE it hangs from): kept when they grew across the window, or grew with
 * new objects when the sessions closed (`closeEvidence`); set aside as bounded otherwise. A group
 * whose containers cannot be measured across the window is kept, as `findLeaks` reports it, and
 * so is every group without a window (`window` null).
 * `window`: digests of steady-start, steady-mid when taken, and steady-end; `target`: the ids of
 * TARGET (steady-end's when there is a window).
 */
export function findOutlivingLeaks(
  baseline: Uint32Array,
  window: WindowDigests | null,
  target: Uint32Array,
  final: HeapAnalysis,
  opts: LeakOptions & { closeRule?: boolean } = {},
): { leaks: SessionLeak[]; bounded: BoundedGroup[]; finalView: FinalView } {
  const { groups, user } = outlivingGroups(baseline, target, final, { ...opts, all: false });
  const g = final.graph;
  const leaks: SessionLeak[] = [];
  const bounded: BoundedGroup[] = [];
  const kept: number[][] = [];
  for (const group of groups) {
    const base = toLeakGroup(final, user, group);
    const keep = (gain: WindowGain | null, evidence: string): void => {
      leaks.push({ ...base, kind: 'outlives-sessions', window: gain, evidence, key: group.key });
      kept.push(group.nodes);
    };
    if (!window) {
      keep(null, 'created after the baseline, still alive after the sessions closed');
      continue;
    }
    const start = window[0];
    const end = window[window.length - 1];
    const anchors = [...group.anchors.keys()].filter((v) => v !== g.rootOrdinal);
    const anchorIds = anchors.map((v) => g.nodeId[v]);
    const series = containerSeries(anchorIds, window);
    const grew = growthEvidence(series);
    const evidence = grew ? `${grew} across the window` : opts.closeRule === false ? null : closeEvidence(anchors, end, final, baseline);
    if (!evidence && series.measured > 0) {
      bounded.push({ key: group.key, name: base.name, count: base.count, path: base.path, evidence: boundedEvidence(series) });
      continue;
    }
    // Its objects created during the window, and its containers' stores grown to hold them.
    const during = group.nodes.filter((v) => !hasId(start.ids, g.nodeId[v]) && hasId(end.ids, g.nodeId[v]));
    const newBytes = during.reduce((sum, v) => sum + final.retainedSize[v], 0);
    keep({ objects: during.length, bytes: newBytes + storeGrowth(anchorIds, start, end) }, evidence ?? 'created after the baseline, still alive after the sessions closed (its container could not be measured across the window)');
  }
  return { leaks, bounded, finalView: { digest: digestSnapshot(final, user), ...contents(final, kept) } };
}

/** The groups' objects and what is inside them (dominator subtrees), by id (see `FinalView`). */
function contents(a: HeapAnalysis, groups: number[][]): { ownedIds: Uint32Array; owner: Uint32Array } {
  const g = a.graph;
  const owner = new Int32Array(g.nodeCount).fill(-1);
  const { first, children } = a.dominatorTree;
  let count = 0;
  groups.forEach((nodes, k) => {
    for (const v of nodes) {
      const enter = (w: number): void => {
        if (owner[w] < 0) count++;
        owner[w] = 2 * k + (w === v ? 1 : 0);
      };
      walkTree(first, children, v, enter, () => {});
    }
  });
  const nodes = new Uint32Array(count);
  for (let v = 0, i = 0; v < g.nodeCount; v++) if (owner[v] >= 0) nodes[i++] = v;
  const order = sortByKey(nodes, g.nodeId);
  return { ownedIds: Uint32Array.from(order, (v) => g.nodeId[v]), owner: Uint32Array.from(order, (v) => owner[v]) };
}

/**
 * One list. A window group that is an outliving group (mostly the same objects, or the same class
 * and path shape) is one group, 'outlives-sessions', with the window's figures of the window
 * method; a window group that lies inside the objects of an outliving group (a session's request
 * log, the session archived when it closed) is part of that group, its gain added. Any other
 * window group whose objects (or grown containers) are still there, as large, after the sessions
 * closed outlives them too.
 */
export function mergeSessionLeaks(outliving: SessionLeak[], live: LiveLeak[], endDigest: SnapshotDigest, final: FinalView): SessionLeak[] {
  const byKey = new Map(outliving.map((l) => [l.key, l]));
  const out: SessionLeak[] = [...outliving];
  for (const l of live) {
    const owner = ownerOf(l.members, final);
    const same = byKey.get(l.key) ?? (owner >= 0 && owner % 2 === 1 ? outliving[owner >> 1] : undefined);
    if (same) {
      same.window = l.window;
      if (same.evidence.includes('when the sessions closed')) same.evidence = l.evidence;
      continue;
    }
    if (owner >= 0) {
      const into = outliving[owner >> 1];
      into.window = { objects: (into.window?.objects ?? 0) + l.window!.objects, bytes: (into.window?.bytes ?? 0) + l.window!.bytes };
      continue;
    }
    const { members, containers, ...leak } = l;
    out.push({ ...leak, kind: outlives(members, containers, endDigest, final.digest) ? 'outlives-sessions' : 'grows-with-live-sessions' });
  }
  return out.sort(largestFirst);
}

/** The `FinalView` owner value most of `members` have, or -1 when no owner has most of them. */
function ownerOf(members: Uint32Array, final: FinalView): number {
  const votes = new Map<number, number>();
  for (const id of members) {
    const at = indexOf(final.ownedIds, id);
    if (at >= 0) votes.set(final.owner[at], (votes.get(final.owner[at]) ?? 0) + 1);
  }
  for (const [owner, count] of votes) if (count * 2 > members.length) return owner;
  return -1;
}

function indexOf(sorted: Uint32Array, id: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === id) return mid;
    if (sorted[mid] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function outlives(members: Uint32Array, containers: boolean, end: SnapshotDigest, final: SnapshotDigest): boolean {
  let kept = 0;
  for (const id of members) {
    if (!containers) {
      if (hasId(final.ids, id)) kept++;
      continue;
    }
    const after = sizesOf(final, id);
    const before = sizesOf(end, id);
    if (after && before && after.shallow >= before.shallow) kept++;
  }
  return kept * 2 > members.length;
}
