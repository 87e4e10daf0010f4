import type { StringTable } from '../parse/string-table.js';
import type { Arena } from '../arena.js';
import type { HeapGraph } from './graph.js';

/**
 * WeakMap entries appear as two internal edges to the value: one from the key and one from the
 * table, named `N / part of key (K @id) -> value (V @id) pair in WeakMap (table @T)`. Returns the
 * table id T for such an edge name, or -1. Cached per string index, since the same names recur.
 */
export class WeakMapEdgeNames {
  // Per string index: 0 not looked at yet, 1 not a WeakMap edge name, 2 one (its id in `ids`).
  private readonly state: Uint8Array;
  private readonly ids = new Map<number, number>();
  constructor(private readonly strings: StringTable) {
    this.state = new Uint8Array(strings.length);
  }

  tableId(nameIndex: number): number {
    const state = this.state[nameIndex];
    if (state === 1) return -1;
    if (state === 2) return this.ids.get(nameIndex)!;
    // Cheap pre-check before the regular expression: most internal edge names are short words.
    const length = this.strings.lengthOf(nameIndex);
    if (length < 40 || this.strings.charCodeAt(nameIndex, length - 1) !== 41 /* ) */) {
      this.state[nameIndex] = 1;
      return -1;
    }
    const s = this.strings.get(nameIndex);
    const m = /^\d+ \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/.exec(s);
    if (!m) {
      this.state[nameIndex] = 1;
      return -1;
    }
    const id = Number(m[1]);
    this.state[nameIndex] = 2;
    this.ids.set(nameIndex, id);
    return id;
  }

  /** The part after the leading index, shared by the key's and the table's edge to one value. */
  pairPart(nameIndex: number): string | undefined {
    if (this.tableId(nameIndex) < 0) return undefined;
    const s = this.strings.get(nameIndex);
    return s.slice(s.indexOf(' '));
  }
}

/**
 * Marks the nodes the page (here: the JS world) owns: everything reachable without weak edges
 * from the targets of the root's shortcut edges (the global objects) and from
 * `(Document DOM trees)`. Edges from objects outside that set (debugger, internals) into it do not
 * retain anything for dominator purposes, as in DevTools.
 */
export function markPageOwned(g: HeapGraph, out: Arena, scratch: Arena): Uint8Array {
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff } = g;
  const owned = out.u8(n);
  const mark = scratch.mark();
  const stack = scratch.u32(n);
  let sp = 0;
  const root = g.rootOrdinal;
  const { shortcut, element, weak } = g.edgeTypes;
  for (let e = firstEdge[root], end = firstEdge[root + 1]; e < end; e++) {
    const type = edges[e * ef + tOff];
    const to = edges[e * ef + toOff];
    if (type === element) {
      if (g.nodeType[to] !== g.types.synthetic || !g.strings.is(g.nodeName[to], '(Document DOM trees)')) continue;
    } else if (type !== shortcut) {
      continue;
    }
    // A target may be listed twice; the stack still never exceeds n because we check before pushing below.
    if (owned[to]) continue;
    owned[to] = 1;
    stack[sp++] = to;
  }
  while (sp > 0) {
    const v = stack[--sp];
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const base = e * ef;
      const to = edges[base + toOff];
      if (owned[to] || edges[base + tOff] === weak) continue;
      owned[to] = 1;
      stack[sp++] = to;
    }
  }
  scratch.release(mark);
  return owned;
}

/**
 * One bit per edge: does it count when computing dominators? DevTools' rules: weak edges and self
 * edges never retain; of a WeakMap value's two retainers the table's edge is dropped (the key's
 * is kept); shortcut edges only count from the root; and an edge from a non-page object into a
 * page object does not count.
 */
export interface EssentialEdges {
  /** One bit per edge ordinal. */
  bits: Uint8Array;
  /** Essential edges into each node (n + 1 entries, the last 0): counted here to spare the dominator step a pass. */
  inDegree: Uint32Array;
}

export function essentialEdges(g: HeapGraph, pageOwned: Uint8Array, weakMaps: WeakMapEdgeNames, arena: Arena): EssentialEdges {
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeNameOffset: nOff, edgeToOffset: toOff, nodeId } = g;
  const bits = arena.u8((g.edgeCount + 7) >>> 3);
  const inDegree = arena.u32(n + 1);
  const { internal, weak, shortcut } = g.edgeTypes;
  const root = g.rootOrdinal;
  for (let v = 0; v < n; v++) {
    const fromRoot = v === root;
    const fromPage = pageOwned[v];
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const base = e * ef;
      const type = edges[base + tOff];
      if (type === weak) continue;
      if (type === internal && weakMaps.tableId(edges[base + nOff]) === nodeId[v]) continue;
      const to = edges[base + toOff];
      if (to === v) continue;
      if (!fromRoot) {
        if (type === shortcut) continue;
        if (pageOwned[to] && !fromPage) continue;
      }
      bits[e >>> 3] |= 1 << (e & 7);
      inDegree[to]++;
    }
  }
  return { bits, inDegree };
}
