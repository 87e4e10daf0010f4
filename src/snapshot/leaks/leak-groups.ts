import { ATTACHED } from '../graph/dom-state.js';
import type { HeapAnalysis } from '../analyze.js';
import { edgeLabel, isInternalType, nodeLabel } from '../graph/retainer-path.js';
import { hasId } from '../snapshot-ids.js';
import { walkTree } from '../graph/tree-walk.js';
import { NONE as UNREACHED, type UserHeld } from './leak-noise.js';

const NONE = 0xffffffff;

/**
 * The machinery both leak methods share: which objects are candidates, which of them are not
 * inside another candidate, how they are grouped (class and path shape), the path shown, and the
 * pre-existing object each one hangs from (its anchor).
 */

export interface CandidateFilter {
  /** Strings smaller than this are noise (default 64 bytes). */
  minStringSize: number;
}

/**
 * Per node: `phaseOf(id)` for JS-level objects user code holds (`user` null: every object), 0 for
 * the rest: V8 internals (code, shapes, hidden objects, `system / ...`), arrays' backing stores,
 * heap numbers, symbols, tiny strings, and a browser page's attached DOM. `phaseOf` returns 0 for
 * objects that are not new.
 */
export function candidatePhases(a: HeapAnalysis, user: UserHeld | null, filter: CandidateFilter, phaseOf: (id: number) => number): Uint8Array {
  const g = a.graph;
  const n = g.nodeCount;
  const t = g.types;
  const held = user?.held;
  const { names: classNames, classOf } = a.classes;
  const phase = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const size = g.selfSize[v];
    if (size === 0 || v === g.rootOrdinal) continue;
    if (held) {
      if (!held[v]) continue;
      const type = g.nodeType[v];
      if (isInternalType(g, type) || type === t.array || type === t.synthetic || type === t.number || type === t.symbol) continue;
      const isString = type === t.string || type === t.consString || type === t.slicedString;
      if (isString && size < filter.minStringSize) continue;
      if (classNames[classOf[v]].startsWith('system / ')) continue;
      // A page's attached DOM is what it shows; DOM it removed and still holds is the leak.
      if (user.browser && type === t.native && g.detachedness[v] === ATTACHED) continue;
    }
    phase[v] = phaseOf(g.nodeId[v]);
  }
  return phase;
}

/**
 * Walks the dominator tree once. `leaked`: phase-1 objects with no phase-1 object above them
 * (phase-2 objects above do not count: they are newer containers, not the leak). `growing`:
 * phase-2 objects with no candidate of either phase above them, with their retained size less
 * the leaked objects inside them. `standalone` objects (a page's detached DOM trees) are leaked
 * objects in their own right even inside another one (the listener that holds a removed row):
 * `own` then gives the outer object's retained size less theirs, so no byte counts twice.
 */
export function topCandidates(
  a: HeapAnalysis,
  phase: Uint8Array,
  standalone?: (v: number) => boolean,
): { leaked: number[]; growing: Map<number, number>; own: Map<number, number> } {
  const { first, children } = a.dominatorTree;
  const root = a.graph.rootOrdinal;
  const leaked: number[] = [];
  const growing = new Map<number, number>();
  const own = new Map<number, number>();
  let insideLeak = 0; // phase-1 candidates on the current path
  let insideAny = 0; // candidates of either phase on the current path
  let insideStandalone = 0; // phase-1 standalone objects on the current path
  let growthTop = -1; // the outermost phase-2 candidate on the current path
  let leakTop = -1; // the outermost phase-1 candidate on the current path
  const isStandalone = (w: number): boolean => phase[w] === 1 && standalone !== undefined && standalone(w);
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
          leakTop = w;
          if (growthTop >= 0) growing.set(growthTop, growing.get(growthTop)! - a.retainedSize[w]);
        } else if (insideStandalone === 0 && isStandalone(w)) {
          leaked.push(w);
          own.set(leakTop, (own.get(leakTop) ?? a.retainedSize[leakTop]) - a.retainedSize[w]);
        }
        if (isStandalone(w)) insideStandalone++;
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
      if (p === 1) {
        insideLeak--;
        if (isStandalone(w)) insideStandalone--;
      }
      if (w === growthTop) growthTop = -1;
      if (w === leakTop) leakTop = -1;
    },
  );
  return { leaked, growing, own };
}

/** Objects of one class and path shape: a leak group before it is judged. */
export interface RawGroup {
  key: string;
  name: string;
  classKey: string;
  /** The group's objects (node ordinals), none inside another candidate. */
  nodes: number[];
  retainedSize: number;
  growthBytes: number;
  /** The object whose path is shown: the largest. */
  sample: number;
  /** Per anchor (node ordinal): how many of the group's objects hang from it. */
  anchors: Map<number, number>;
}

/**
 * Groups `tops` by class and path shape, with the anchor of each object: the first object on its
 * path from user code that was already alive in `existed` (see `anchorOf`). `own` overrides the
 * retained size of objects that contain standalone ones (see `topCandidates`).
 */
export function groupObjects(a: HeapAnalysis, user: UserHeld | null, tops: number[], existed: Uint32Array, own?: Map<number, number>): Map<string, RawGroup> {
  const groups = new Map<string, RawGroup>();
  const retained = (v: number): number => own?.get(v) ?? a.retainedSize[v];
  for (const v of tops) {
    const key = groupKey(a, user, v);
    let group = groups.get(key);
    if (!group) {
      group = { key, name: a.className(v), classKey: a.classKey(v), nodes: [], retainedSize: 0, growthBytes: 0, sample: v, anchors: new Map() };
      groups.set(key, group);
    }
    group.nodes.push(v);
    group.retainedSize += retained(v);
    if (retained(v) > retained(group.sample)) group.sample = v;
    if (user) {
      const anchor = anchorOf(a, user, existed, v);
      group.anchors.set(anchor, (group.anchors.get(anchor) ?? 0) + 1);
    }
  }
  return groups;
}

/**
 * A leak accumulates: objects pile up in one pre-existing container. Objects that each hang
 * from a different pre-existing object under a property of its own are one-off lazy
 * initialisation (a library building a validator or a cache entry on first use), bounded by the
 * code, not by the load.
 */
export function accumulates(group: RawGroup, minCount: number): boolean {
  if (group.anchors.size === 0) return true;
  for (const count of group.anchors.values()) if (count >= minCount) return true;
  return false;
}

/**
 * The object, already alive in `existed`, that `v` hangs from: the first one on its path from user
 * code (the array behind `sessionArchive`, a Map, an emitter's listener table).
 */
export function anchorOf(a: HeapAnalysis, user: UserHeld, existed: Uint32Array, v: number): number {
  const g = a.graph;
  let w = v;
  // A backing store (a Map's table, an array's elements) is part of its owner: the owner is the container.
  while (user.parentNode[w] !== UNREACHED && (!hasId(existed, g.nodeId[w]) || g.nodeType[w] === g.types.array)) w = user.parentNode[w];
  // A starting point of the user walk that is itself new (a repeating timer): what holds it.
  const { parentNode } = a.pathTree;
  const root = a.graph.rootOrdinal;
  while (w !== root && parentNode[w] !== NONE && !hasId(existed, g.nodeId[w])) w = parentNode[w];
  return w;
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

/** The labelled path from a GC root to `v` (see `pathSteps`); never empty. */
export function groupPath(a: HeapAnalysis, user: UserHeld | null, v: number): string[] {
  const path = labelPath(a, pathSteps(a, user, v));
  return path.length > 0 ? path : [nodeLabel(a, v)];
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
export function groupKey(a: HeapAnalysis, user: UserHeld | null, v: number): string {
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
