import type { HeapAnalysis } from '../analyze.js';
import type { HeapGraph } from '../graph/graph.js';
import type { UserHeld } from './leak-noise.js';
import { isInternalType } from '../graph/retainer-path.js';

/**
 * What the session-aware leak method keeps of a snapshot of the steady window once its analysis is
 * dropped: every node id (to tell which objects are new), and, for the objects user code holds,
 * three sizes by id, so a container found in a later snapshot can be measured in this one.
 *
 * - `entries`: how many things the container holds (see `containerEntries`). A Map or an LRU at
 *   its bound, a ring buffer or a pool's free list at a constant number of sessions keeps it
 *   exactly constant, whatever it replaces.
 * - `shallow`: DevTools' shallow size, backing stores folded in: an array of numbers that grows
 *   shows here (its numbers are no heap objects), as does a Map's table or a dictionary's
 *   property store.
 * - `retained`: everything the container keeps alive.
 *
 * Typed arrays only: 4 + 8 + 8 + 4 bytes per user-held object, 4 per node.
 */
export interface SnapshotDigest {
  /** Every node id, sorted. */
  ids: Uint32Array;
  /** Ids of the objects measured, sorted; the arrays below are in the same order. */
  heldIds: Uint32Array;
  entries: Uint32Array;
  shallow: Float64Array;
  retained: Float64Array;
}

/** Sizes of a container in one snapshot. */
export interface ContainerSizes {
  entries: number;
  shallow: number;
  retained: number;
}

/** The objects worth measuring: what user code holds (or everything), minus V8's code, shapes and backing stores. */
export function isMeasured(g: HeapGraph, user: UserHeld | null, v: number): boolean {
  if (user && !user.held[v]) return false;
  const type = g.nodeType[v];
  return type !== g.types.code && type !== g.types.objectShape && type !== g.types.array && v !== g.rootOrdinal;
}

export function digestSnapshot(a: HeapAnalysis, user: UserHeld | null): SnapshotDigest {
  const g = a.graph;
  const n = g.nodeCount;
  let count = 0;
  for (let v = 0; v < n; v++) if (isMeasured(g, user, v)) count++;
  const nodes = new Uint32Array(count);
  for (let v = 0, i = 0; v < n; v++) if (isMeasured(g, user, v)) nodes[i++] = v;
  const order = sortByKey(nodes, g.nodeId);
  const heldIds = new Uint32Array(count);
  const entries = new Uint32Array(count);
  const shallow = new Float64Array(count);
  const retained = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = order[i];
    heldIds[i] = g.nodeId[v];
    entries[i] = containerEntries(g, v);
    shallow[i] = g.selfSize[v];
    retained[i] = a.retainedSize[v];
  }
  return { ids: g.nodeId.slice().sort(), heldIds, entries, shallow, retained };
}

/** The sizes of the object with this id, or null when the digest did not measure it. */
export function sizesOf(d: SnapshotDigest, id: number): ContainerSizes | null {
  let lo = 0;
  let hi = d.heldIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = d.heldIds[mid];
    if (x === id) return { entries: d.entries[mid], shallow: d.shallow[mid], retained: d.retained[mid] };
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** Sizes of a node of a full analysis. */
export function sizesIn(a: HeapAnalysis, v: number): ContainerSizes {
  return { entries: containerEntries(a.graph, v), shallow: a.graph.selfSize[v], retained: a.retainedSize[v] };
}

/**
 * How many things a container holds, counted on the references a snapshot records: an Array's
 * elements, an object's properties (a dictionary's keys), a closure's or scope's variables, and
 * what its backing stores (a Map's or Set's hash table, an array's elements store, a dictionary's
 * property store) reference. Oddballs (`undefined`, holes) and V8 internals are not counted, nor
 * numbers stored unboxed (an array of small integers or doubles has no references: its growth
 * shows in the shallow size). Some things count twice (an Array's element and its store's slot):
 * only the change between snapshots of the same process matters. `only`: count only these targets.
 */
export function containerEntries(g: HeapGraph, v: number, only?: (to: number) => boolean): number {
  const { edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff, firstEdge, nodeType } = g;
  const { weak, shortcut, internal } = g.edgeTypes;
  let count = 0;
  for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
    const type = edges[e * ef + tOff];
    if (type === weak || type === shortcut) continue;
    const to = edges[e * ef + toOff];
    const toType = nodeType[to];
    if (type === internal) {
      if (toType !== g.types.array || to === v) continue;
      // A backing store: what it references is what the container holds.
      for (let f = firstEdge[to], fEnd = firstEdge[to + 1]; f < fEnd; f++) {
        const fType = edges[f * ef + tOff];
        const item = edges[f * ef + toOff];
        if (fType !== weak && fType !== shortcut && !isInternalType(g, nodeType[item]) && (!only || only(item))) count++;
      }
    } else if (!isInternalType(g, toType) && (!only || only(to))) {
      count++;
    }
  }
  return count;
}

/** `nodes` ordered by `key[node]` (two stable counting passes of 16 bits). */
export function sortByKey(nodes: Uint32Array, key: Uint32Array): Uint32Array {
  let from: Uint32Array = nodes;
  let to: Uint32Array = new Uint32Array(nodes.length);
  for (let shift = 0; shift < 32; shift += 16) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < from.length; i++) counts[((key[from[i]] >>> shift) & 0xffff) + 1]++;
    for (let b = 1; b <= 65536; b++) counts[b] += counts[b - 1];
    for (let i = 0; i < from.length; i++) to[counts[(key[from[i]] >>> shift) & 0xffff]++] = from[i];
    [from, to] = [to, from];
  }
  return from;
}
