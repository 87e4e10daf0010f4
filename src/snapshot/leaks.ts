import type { HeapAnalysis } from './analyze.js';
import { edgeLabel, isInternalType, nodeLabel } from './retainer-path.js';
import { hasId, sortedIds } from './snapshot-ids.js';
import { walkTree } from './tree-walk.js';
import { NONE as UNREACHED, userHeldNodes, type UserHeld } from './leak-noise.js';

const NONE = 0xffffffff;

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
}

/** A snapshot as leak detection needs it: analysed, or only its sorted node ids. */
export type SnapshotRef = HeapAnalysis | Uint32Array;

function idsOf(s: SnapshotRef): Uint32Array {
  return s instanceof Uint32Array ? s : sortedIds(s);
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
  const before = idsOf(baseline);
  const middle = idsOf(target);
  const g = final.graph;
  const n = g.nodeCount;
  const t = g.types;
  const all = opts.all ?? false;
  const minString = all ? 0 : (opts.minStringSize ?? 64);
  const minCount = all ? 1 : (opts.minCount ?? 2);
  const classNames = final.classes.names;
  const classOf = final.classes.classOf;
  const user = all ? null : userHeldNodes(final, before);
  const held = user?.held;

  // Phase per node: 0 not a candidate, 1 created BASELINE..TARGET, 2 created after TARGET.
  const phase = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const size = g.selfSize[v];
    if (size === 0 || v === g.rootOrdinal) continue;
    const type = g.nodeType[v];
    if (held) {
      if (!held[v]) continue;
      if (isInternalType(g, type) || type === t.array || type === t.synthetic || type === t.number || type === t.symbol) continue;
      const isString = type === t.string || type === t.consString || type === t.slicedString;
      if (isString && size < minString) continue;
      if (classNames[classOf[v]].startsWith('system / ')) continue;
    }
    const id = g.nodeId[v];
    if (hasId(before, id)) continue;
    phase[v] = hasId(middle, id) ? 1 : 2;
  }

  const { leaked, growing } = topCandidates(final, phase);

  const groups = new Map<string, LeakGroup>();
  const sample = new Map<string, number>();
  // Per group, how many of its objects hang from each pre-existing object (see `accumulates`).
  const anchors = new Map<string, Map<number, number>>();
  for (const v of leaked) {
    const key = groupKey(final, user, v);
    if (user) {
      let perAnchor = anchors.get(key);
      if (!perAnchor) anchors.set(key, (perAnchor = new Map()));
      const anchor = anchorOf(final, user, before, v);
      perAnchor.set(anchor, (perAnchor.get(anchor) ?? 0) + 1);
    }
    let group = groups.get(key);
    if (!group) {
      group = { name: final.className(v), classKey: final.classKey(v), count: 0, retainedSize: 0, growthBytes: 0, path: [], sampleNodeId: 0 };
      groups.set(key, group);
    }
    group.count++;
    group.retainedSize += final.retainedSize[v];
    // The path shown leads to the group's largest object.
    const best = sample.get(key);
    if (best === undefined || final.retainedSize[v] > final.retainedSize[best]) sample.set(key, v);
  }
  // Growth: newer objects of the same kind as a leak, outside every leaked object (so no byte is
  // counted twice), less the leaked objects they themselves contain.
  for (const [v, bytes] of growing) {
    const group = groups.get(groupKey(final, user, v));
    if (group) group.growthBytes += bytes;
  }
  const out: LeakGroup[] = [];
  for (const [key, group] of groups) {
    const v = sample.get(key);
    if (v === undefined || group.count < minCount) continue;
    const perAnchor = anchors.get(key);
    if (perAnchor && !accumulates(perAnchor, minCount)) continue;
    group.path = labelPath(final, pathSteps(final, user, v));
    if (group.path.length === 0) group.path = [nodeLabel(final, v)];
    group.sampleNodeId = g.nodeId[v];
    out.push(group);
  }
  out.sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count);
  return out;
}

/**
 * Walks the dominator tree once. `leaked`: phase-1 objects with no phase-1 object above them
 * (phase-2 objects above do not count: they are newer containers, not the leak). `growing`:
 * phase-2 objects with no candidate of either phase above them, with their retained size less
 * the leaked objects inside them.
 */
function topCandidates(a: HeapAnalysis, phase: Uint8Array): { leaked: number[]; growing: Map<number, number> } {
  const { first, children } = a.dominatorTree;
  const root = a.graph.rootOrdinal;
  const leaked: number[] = [];
  const growing = new Map<number, number>();
  let insideLeak = 0; // phase-1 candidates on the current path
  let insideAny = 0; // candidates of either phase on the current path
  let growthTop = -1; // the outermost phase-2 candidate on the current path
  walkTree(
    first,
    children,
    root,
    (w) => {
      const p = phase[w];
      if (p === 0) return;
      if (p === 1) {
        if (insideLeak === 0) {
          leaked.push(w);
          if (growthTop >= 0) growing.set(growthTop, growing.get(growthTop)! - a.retainedSize[w]);
        }
        insideLeak++;
      } else if (insideAny === 0) {
        growthTop = w;
        growing.set(w, a.retainedSize[w]);
      }
      insideAny++;
    },
    (w) => {
      const p = phase[w];
      if (p === 0) return;
      insideAny--;
      if (p === 1) insideLeak--;
      if (w === growthTop) growthTop = -1;
    },
  );
  return { leaked, growing };
}

/**
 * The object, already alive at BASELINE, that a leaked object hangs from: the first one on its
 * path from user code (the array behind `sessionArchive`, a Map, an emitter's listener table).
 */
function anchorOf(a: HeapAnalysis, user: UserHeld, before: Uint32Array, v: number): number {
  let w = v;
  while (user.parentNode[w] !== UNREACHED && !hasId(before, a.graph.nodeId[w])) w = user.parentNode[w];
  // A starting point of the user walk that is itself new (a repeating timer): what holds it.
  const { parentNode } = a.pathTree;
  const root = a.graph.rootOrdinal;
  while (w !== root && parentNode[w] !== NONE && !hasId(before, a.graph.nodeId[w])) w = parentNode[w];
  return w;
}

/**
 * A leak accumulates: objects pile up in one pre-existing container. Objects that each hang
 * from a different pre-existing object under a property of its own are one-off lazy
 * initialisation (a library building a validator or a cache entry on first use), bounded by the
 * code, not by the load.
 */
function accumulates(perAnchor: Map<number, number>, minCount: number): boolean {
  for (const count of perAnchor.values()) if (count >= minCount) return true;
  return false;
}

interface PathSteps {
  nodes: number[];
  /** The edge into each node; the first node's is unused. */
  edges: number[];
}

/**
 * The path shown for a leaked object. For a user-held object: the shortest path from a GC root
 * to where the walk over user code started (the global object or a user function), then the
 * walk's own path, so the path names the user variable that holds the leak. Otherwise (`--all`,
 * or nothing user-held) the shortest strong path from a GC root.
 */
function pathSteps(a: HeapAnalysis, user: UserHeld | null, v: number): PathSteps {
  const nodes: number[] = [];
  const edges: number[] = [];
  let w = v;
  if (user?.held[v]) {
    for (; user.parentNode[w] !== UNREACHED; w = user.parentNode[w]) {
      nodes.push(w);
      edges.push(user.parentEdge[w]);
    }
  }
  const { parentNode, parentEdge } = a.pathTree;
  const root = a.graph.rootOrdinal;
  if (parentNode[w] === NONE) {
    // The start of the user walk has no strong path from the root (an ES module's cells): the path starts there.
    nodes.push(w);
    edges.push(NONE);
  } else {
    for (; w !== root; w = parentNode[w]) {
      nodes.push(w);
      edges.push(parentEdge[w]);
    }
  }
  return { nodes: nodes.reverse(), edges: edges.reverse() };
}

/** Node and edge labels interleaved; a run of identical steps (a linked list) reads as one step. */
function labelPath(a: HeapAnalysis, steps: PathSteps): string[] {
  const out: string[] = [];
  steps.nodes.forEach((w, i) => {
    const node = nodeLabel(a, w);
    if (i > 0) {
      const edge = edgeLabel(a.graph, steps.edges[i]);
      if (i > 1 && out.at(-2) === edge && out.at(-1) === node) return;
      out.push(edge);
    }
    out.push(node);
  });
  return out;
}

/** Class of the object plus the shape of its path: classes and edge names, indices left out. */
function groupKey(a: HeapAnalysis, user: UserHeld | null, v: number): string {
  const { nodes, edges } = pathSteps(a, user, v);
  let key = a.classKey(v);
  let last = '';
  for (let i = 0; i < nodes.length; i++) {
    const edge = i === 0 ? '' : edgeLabel(a.graph, edges[i]).replace(/\d+/g, '#').replace('_idlePrev', '_idleNext');
    const step = `\u0000${edge}\u0000${a.classKey(nodes[i])}`;
    // A linked list (a timer list's _idleNext chain) gives paths of every length: one step per run.
    if (step !== last) key += step;
    last = step;
  }
  return key;
}
