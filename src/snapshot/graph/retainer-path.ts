import type { HeapGraph } from './graph.js';

/** What the path functions read of an analysed snapshot (HeapAnalysis has it all). */
export interface PathSource {
  readonly graph: HeapGraph;
  readonly pathTree: PathTree;
  readonly dominatorTree: { first: Uint32Array; children: Uint32Array };
  readonly retainedSize: Float64Array;
  className(node: number): string;
}

const NONE = 0xffffffff;

/**
 * Shortest retainer paths from the root, for every node at once: a breadth-first tree over strong
 * references. Like DevTools' distances, the global object (the root's shortcut edge) is explored
 * first, so paths through user code win ties. Internals (compiled code, object shapes, hidden V8
 * objects such as feedback vectors) can end a path but are never walked through, so a path to a
 * user object never detours through V8's caches.
 */
export interface PathTree {
  /** The node one step closer to the root, or NONE when not reachable that way (root: itself). */
  parentNode: Uint32Array;
  /** The edge from `parentNode` to this node. */
  parentEdge: Uint32Array;
}

/** True for node types that only V8 itself holds on to. */
export function isInternalType(g: HeapGraph, type: number): boolean {
  const t = g.types;
  return type === t.code || type === t.hidden || type === t.objectShape;
}

export function buildPathTree(g: HeapGraph): PathTree {
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff, nodeType } = g;
  const { weak, shortcut } = g.edgeTypes;
  const parentNode = new Uint32Array(n).fill(NONE);
  const parentEdge = new Uint32Array(n).fill(NONE);
  const queue = new Uint32Array(n);
  const root = g.rootOrdinal;
  parentNode[root] = root;
  let head = 0;
  let tail = 0;
  // The root's edges: shortcuts (global objects) first, then the GC root categories.
  for (let pass = 0; pass < 2; pass++) {
    for (let e = firstEdge[root], end = firstEdge[root + 1]; e < end; e++) {
      const type = edges[e * ef + tOff];
      if (type === weak || (type === shortcut) !== (pass === 0)) continue;
      const to = edges[e * ef + toOff];
      if (parentNode[to] !== NONE) continue;
      parentNode[to] = root;
      parentEdge[to] = e;
      queue[tail++] = to;
    }
  }
  // Stack and handle-scope roots only hold what the snapshotting code was busy with: paths
  // through them are explored last, so a module variable's path wins over a stack slot's. So do
  // the global handles the inspector keeps for its console (`N / DevTools console`, e.g. the
  // automation's UtilityScript in a page): DevTools counts what they hold as the console's.
  const transient = new Set<number>();
  const consoleHandles = new Set<number>();
  g.strings.forEach((s, i) => {
    if (s === '(Stack roots)' || s === '(Handle scope)') transient.add(i);
    else if (s.endsWith(' / DevTools console')) consoleHandles.add(i);
  });
  const { element, hidden } = g.edgeTypes;
  const deferredNode: number[] = [];
  const deferredEdge: number[] = [];
  const deferredFrom: number[] = [];
  for (let round = 0; round < 2; round++) {
    if (round === 1) {
      for (let i = 0; i < deferredNode.length; i++) {
        const to = deferredNode[i];
        if (parentNode[to] !== NONE) continue;
        parentNode[to] = deferredFrom[i];
        parentEdge[to] = deferredEdge[i];
        queue[tail++] = to;
      }
    }
    while (head < tail) {
      const v = queue[head++];
      if (isInternalType(g, nodeType[v])) continue;
      for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
        const base = e * ef;
        const type = edges[base + tOff];
        if (type === weak || type === shortcut) continue;
        const to = edges[base + toOff];
        if (parentNode[to] !== NONE) continue;
        const deferred =
          (nodeType[to] === g.types.synthetic && transient.has(g.nodeName[to])) ||
          (consoleHandles.size > 0 && type !== element && type !== hidden && consoleHandles.has(edges[base + g.edgeNameOffset]));
        if (round === 0 && deferred) {
          deferredNode.push(to);
          deferredEdge.push(e);
          deferredFrom.push(v);
          continue;
        }
        parentNode[to] = v;
        parentEdge[to] = e;
        queue[tail++] = to;
      }
    }
  }
  return { parentNode, parentEdge };
}

/** How a node reads in a path: class names for objects, `name()` for functions, raw names for internals. */
export function nodeLabel(a: PathSource, v: number): string {
  const g = a.graph;
  const type = g.nodeType[v];
  const t = g.types;
  const raw = g.strings.get(g.nodeName[v]);
  if (type === t.closure) return raw ? `${raw}()` : '(anonymous function)';
  if (type === t.synthetic || type === t.hidden || type === t.array || type === t.code) return raw || a.className(v);
  return type === t.native ? shortTemplate(a.className(v)) : a.className(v);
}

/** `blink::HeapVectorBacking<cppgc::internal::BasicMember<...>>` reads `blink::HeapVectorBacking<…>` in a path. */
function shortTemplate(name: string): string {
  const open = name.indexOf('<');
  return open > 0 && name.lastIndexOf('::', open) > 0 ? name.slice(0, open) + '<…>' : name;
}

/** How an edge reads in a path: the property / variable / internal name, `[i]` for positions. */
export function edgeLabel(g: HeapGraph, e: number): string {
  const base = e * g.edgeFieldCount;
  const type = g.edges[base + g.edgeTypeOffset];
  const name = g.edges[base + g.edgeNameOffset];
  if (type === g.edgeTypes.element || type === g.edgeTypes.hidden) return `[${name}]`;
  const text = String(g.strings.get(name));
  // Hash tables (Map, Set) hold entries by internal edges named by slot number: a position too.
  return type === g.edgeTypes.internal && /^\d+$/.test(text) ? `[${text}]` : text;
}

/**
 * The path from the root to `node`: node labels and edge labels interleaved, starting at a GC
 * root category (or the global object) and ending at the node. Empty when no strong path exists.
 */
export function retainerPath(analysis: PathSource, node: number): string[] {
  const g = analysis.graph;
  const { parentNode, parentEdge } = analysis.pathTree;
  if (parentNode[node] === NONE) return [];
  const steps: number[] = [];
  for (let v = node; v !== g.rootOrdinal; v = parentNode[v]) steps.push(v);
  const path: string[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const v = steps[i];
    if (i < steps.length - 1) path.push(edgeLabel(g, parentEdge[v]));
    path.push(nodeLabel(analysis, v));
  }
  return path;
}

/** The nodes on the path from the root's child to `node` (for grouping by path shape). */
export function pathNodes(analysis: PathSource, node: number): number[] {
  const g = analysis.graph;
  const { parentNode } = analysis.pathTree;
  if (parentNode[node] === NONE) return [];
  const steps: number[] = [];
  for (let v = node; v !== g.rootOrdinal; v = parentNode[v]) steps.push(v);
  return steps.reverse();
}

/** What one object retains, largest first: its dominator-tree children with the edge that holds each. */
export function retainedBreakdown(analysis: PathSource, node: number, limit = 10): Array<{ edge: string; name: string; node: number; retainedSize: number }> {
  const g = analysis.graph;
  const { first, children } = analysis.dominatorTree;
  const out: Array<{ edge: string; name: string; node: number; retainedSize: number }> = [];
  for (let i = first[node]; i < first[node + 1]; i++) {
    const child = children[i];
    // Name the child by the edge from `node` to it when there is one (dominated nodes are usually direct children).
    let edge = '';
    for (let e = g.firstEdge[node], end = g.firstEdge[node + 1]; e < end; e++) {
      if (g.edges[e * g.edgeFieldCount + g.edgeToOffset] === child) {
        edge = edgeLabel(g, e);
        break;
      }
    }
    out.push({ edge, name: nodeLabel(analysis, child), node: child, retainedSize: analysis.retainedSize[child] });
  }
  out.sort((a, b) => b.retainedSize - a.retainedSize);
  return out.slice(0, limit);
}
