import { Arena, arenaBytes } from '../arena.js';
import type { DetachedDomFigures } from '../browser/detached-dom.js';
import type { ClassTable } from './class-names.js';
import type { Dominators } from './dominators.js';
import type { HeapGraph } from './graph.js';
import { walkTree } from './tree-walk.js';

export interface ClassStats {
  name: string;
  /** DevTools' class key (`,Name` or `scriptId,line,column,Name`): unique per row. */
  key: string;
  count: number;
  selfSize: number;
  retainedSize: number;
  /** Where the constructor is defined (1-based line and column), for JS objects that have one. */
  location?: { scriptId: number; line: number; column: number };
}

export interface ClassSummary {
  nodeCount: number;
  edgeCount: number;
  /** The root's retained size plus Chrome's `extra_native_bytes`, as DevTools counts the total. */
  totalSize: number;
  /** Largest retained size first. */
  classes: ClassStats[];
  /** A browser page's detached DOM (absent for snapshots without DOM state, such as Node's). */
  detached?: DetachedDomFigures;
}

/** Children lists of the dominator tree (counting sort by dominator). */
export function dominatedChildren(dominator: Uint32Array, root: number, arena?: Arena): { first: Uint32Array; children: Uint32Array } {
  const n = dominator.length;
  arena ??= new Arena(arenaBytes(n + 1, 4) + arenaBytes(n, 4));
  const first = arena.u32(n + 1);
  for (let v = 0; v < n; v++) if (v !== root) first[dominator[v]]++;
  let acc = 0;
  for (let v = 0; v < n; v++) {
    acc += first[v];
    first[v] = acc;
  }
  first[n] = acc;
  const children = arena.u32(acc);
  // Filling backwards from the slot ends keeps children in node order.
  for (let v = n - 1; v >= 0; v--) if (v !== root) children[--first[dominator[v]]] = v;
  return { first, children };
}

/**
 * Per class: count and shallow size of the nodes with a non-zero shallow size (DevTools leaves the
 * zero ones out), and the class retained size: the retained sizes of its instances that no other
 * instance of the same class dominates, so nested instances are not counted twice.
 */
export function summarizeClasses(g: HeapGraph, classes: ClassTable, dom: Dominators, tree: { first: Uint32Array; children: Uint32Array }, scratch: Arena): ClassSummary {
  const k = classes.names.length;
  const count = new Float64Array(k);
  const self = new Float64Array(k);
  const retained = new Float64Array(k);
  const { classOf } = classes;
  const { selfSize, nodeCount: n } = g;
  for (let v = 0; v < n; v++) {
    const s = selfSize[v];
    if (s === 0) continue;
    const c = classOf[v];
    count[c]++;
    self[c] += s;
  }

  // Depth-first over the dominator tree, tracking which classes have an instance on the current path.
  const mark = scratch.mark();
  const onPath = scratch.u32(k);
  const retainedSize = dom.retainedSize;
  const root = g.rootOrdinal;
  walkTree(
    tree.first,
    tree.children,
    root,
    (w) => {
      // The root has no shallow size, so it is never an instance.
      if (selfSize[w] === 0 || w === root) return;
      const c = classOf[w];
      if (onPath[c] === 0) retained[c] += retainedSize[w];
      onPath[c]++;
    },
    (w) => {
      if (selfSize[w] !== 0 && w !== root) onPath[classOf[w]]--;
    },
  );
  scratch.release(mark);
  const rows: ClassStats[] = [];
  for (let c = 0; c < k; c++) {
    if (count[c] === 0) continue;
    const row: ClassStats = { name: classes.names[c], key: classes.keys[c], count: count[c], selfSize: self[c], retainedSize: retained[c] };
    const at = classes.locations[c];
    if (at) row.location = { scriptId: at.scriptId, line: at.line + 1, column: at.column + 1 };
    rows.push(row);
  }
  rows.sort((a, b) => b.retainedSize - a.retainedSize || b.selfSize - a.selfSize || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { nodeCount: n, edgeCount: g.edgeCount, totalSize: retainedSize[g.rootOrdinal] + g.extraNativeBytes, classes: rows };
}
