import { isBrowserHeap } from './browser-heap.js';
import { DETACHED } from '../graph/dom-state.js';
import type { HeapGraph } from '../graph/graph.js';

/** A page's detached DOM, as DevTools' Summary shows it with its "detached" filter. */
export interface DetachedDomFigures {
  /** Objects of DevTools' `Detached ...` classes: DOM nodes removed from every document but still alive, and the Blink objects only they reach (V8's detachedness, propagated as DevTools does). */
  nodes: number;
  /** Their shallow size, bytes. */
  nodesSize: number;
  /** Objects DevTools' "Objects retained by detached DOM nodes" filter shows: reachable from the root, but only through a detached node (the detached nodes included). */
  retainedCount: number;
  /** Their shallow size, bytes. */
  retainedSize: number;
}

/**
 * The figures for a browser page's snapshot; undefined for the rest (Node's), so their output is
 * unchanged. Counts, like DevTools',
 * leave out objects with no shallow size. Two breadth-first walks over strong edges: one from the
 * root, one that never enters a detached node; what only the first reaches is retained by them.
 */
export function detachedDom(g: HeapGraph): DetachedDomFigures | undefined {
  // Node marks some of its own embedder objects detached too (`Detached Node / BindingData`): not DOM.
  if (!isBrowserHeap(g)) return undefined;
  const { nodeCount: n, detachedness, nodeType, selfSize } = g;
  let nodes = 0;
  let nodesSize = 0;
  for (let v = 0; v < n; v++) {
    if (detachedness[v] !== DETACHED || nodeType[v] !== g.types.native || selfSize[v] === 0) continue;
    nodes++;
    nodesSize += selfSize[v];
  }
  const all = reach(g, false);
  const live = reach(g, true);
  let retainedCount = 0;
  let retainedSize = 0;
  for (let v = 0; v < n; v++) {
    if (!all[v] || live[v] || selfSize[v] === 0) continue;
    retainedCount++;
    retainedSize += selfSize[v];
  }
  return { nodes, nodesSize, retainedCount, retainedSize };
}

function reach(g: HeapGraph, avoidDetached: boolean): Uint8Array {
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff, detachedness } = g;
  const weak = g.edgeTypes.weak;
  const seen = new Uint8Array(n);
  const queue = new Uint32Array(n);
  let tail = 0;
  seen[g.rootOrdinal] = 1;
  queue[tail++] = g.rootOrdinal;
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      if (edges[e * ef + tOff] === weak) continue;
      const to = edges[e * ef + toOff];
      if (seen[to] || (avoidDetached && detachedness[to] === DETACHED)) continue;
      seen[to] = 1;
      queue[tail++] = to;
    }
  }
  return seen;
}
