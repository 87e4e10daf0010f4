import type { Arena } from '../arena.js';
import type { HeapGraph } from './graph.js';

const UNVISITED = 0xffffffff;
const SHARED = 0xfffffffe;

/** Does the root reach any non-synthetic node? Without one the snapshot exposes V8 internals. */
function hasUserRoots(g: HeapGraph): boolean {
  const root = g.rootOrdinal;
  for (let e = g.firstEdge[root], end = g.firstEdge[root + 1]; e < end; e++) {
    if (g.nodeType[g.edges[e * g.edgeFieldCount + g.edgeToOffset]] !== g.types.synthetic) return true;
  }
  return false;
}

/**
 * DevTools' shallow-size transfer: a hidden or array node (or `system / ExternalStringData`) that
 * only one object reaches, through other such nodes and non-weak edges, gives its size to that
 * object and shows 0 itself. So an Array's elements store counts in the Array, a Map's table in
 * the Map. Nothing moves into synthetic nodes, and nothing moves at all in snapshots taken with
 * internals exposed (no user roots). Rewrites `g.selfSize`; the total is unchanged.
 */
export function transferShallowSizes(g: HeapGraph, arena: Arena): void {
  if (!hasUserRoots(g)) return;
  const { nodeCount: n, nodeType, selfSize, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff } = g;
  const { hidden, array, native, synthetic } = g.types;
  const weak = g.edgeTypes.weak;
  const externalStringData = g.strings.indexOf('system / ExternalStringData');
  const mark = arena.mark();
  const owners = arena.u32(n);
  let dependents = 0;
  for (let v = 0; v < n; v++) {
    const t = nodeType[v];
    if (t === hidden || t === array || (t === native && g.nodeName[v] === externalStringData && externalStringData >= 0)) {
      owners[v] = UNVISITED;
      dependents++;
    } else {
      owners[v] = v;
    }
  }
  // A dependent node enters the work stack at most twice (first owner, then "shared").
  const work = arena.u32(2 * dependents + 1);
  for (let start = 0; start < n; start++) {
    if (owners[start] !== start) continue;
    let sp = 0;
    work[sp++] = start;
    while (sp > 0) {
      const v = work[--sp];
      const owner = owners[v];
      for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
        const base = e * ef;
        if (edges[base + tOff] === weak) continue;
        const to = edges[base + toOff];
        const current = owners[to];
        if (current === to || current === owner || current === SHARED) continue;
        owners[to] = current === UNVISITED ? owner : SHARED;
        work[sp++] = to;
      }
    }
  }
  const root = g.rootOrdinal;
  for (let v = 0; v < n; v++) {
    const owner = owners[v];
    if (owner === v || owner === UNVISITED || owner === SHARED) continue;
    if (owner === root || nodeType[owner] === synthetic) continue;
    selfSize[owner] += selfSize[v];
    selfSize[v] = 0;
  }
  arena.release(mark);
}
