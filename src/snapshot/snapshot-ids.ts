import type { HeapAnalysis } from './analyze.js';

/** All node ids of a snapshot, sorted: all that `diff` and `leaks` need to keep of an earlier snapshot. */
export function sortedIds(a: HeapAnalysis): Uint32Array {
  return a.graph.nodeId.slice().sort();
}

/** Binary search in a sorted id array. */
export function hasId(sorted: Uint32Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid];
    if (x === id) return true;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
