import type { HeapGraph } from './graph.js';

/** V8's detachedness values (0: unknown). */
export const ATTACHED = 1;
export const DETACHED = 2;

/**
 * DevTools' DOM-state propagation: embedder (native) nodes reachable from an attached native node
 * are attached; the rest reachable from a detached one are detached and renamed `Detached <name>`.
 * The state only travels through native nodes, and not along hidden or weak edges. In Node
 * snapshots few native nodes carry a state, so this is cheap; it matters for class names.
 */
export function propagateDomState(g: HeapGraph): void {
  const { nodeCount: n, nodeType, detachedness, nodeName, firstEdge, edges, edgeFieldCount: ef } = g;
  const nativeType = g.types.native;
  const skipA = g.edgeTypes.hidden;
  const skipB = g.edgeTypes.weak;
  const visited = new Uint8Array(n);
  const attached: number[] = [];
  const detached: number[] = [];
  const renamed = new Map<number, number>();

  const process = (v: number, state: number): void => {
    if (visited[v]) return;
    visited[v] = 1;
    if (nodeType[v] !== nativeType) return;
    detachedness[v] = state;
    if (state === ATTACHED) {
      attached.push(v);
    } else if (state === DETACHED) {
      const old = nodeName[v];
      let idx = renamed.get(old);
      if (idx === undefined) {
        idx = g.strings.push('Detached ' + g.strings.get(old)) - 1;
        renamed.set(old, idx);
      }
      nodeName[v] = idx;
      detached.push(v);
    }
  };
  const spread = (v: number, state: number): void => {
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const base = e * ef;
      const type = edges[base + g.edgeTypeOffset];
      if (type === skipA || type === skipB) continue;
      process(edges[base + g.edgeToOffset], state);
    }
  };

  for (let v = 0; v < n; v++) {
    if (detachedness[v] !== 0) process(v, detachedness[v]);
  }
  while (attached.length) spread(attached.pop()!, ATTACHED);
  while (detached.length) {
    const v = detached.pop()!;
    if (detachedness[v] === ATTACHED) continue;
    spread(v, DETACHED);
  }
}
