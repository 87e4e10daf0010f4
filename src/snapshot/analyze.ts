import { Arena, arenaBytes } from './arena.js';
import { classifyNodes, type ClassTable } from './graph/class-names.js';
import { propagateDomState } from './graph/dom-state.js';
import { detachedDom } from './browser/detached-dom.js';
import { computeDominators } from './graph/dominators.js';
import { WeakMapEdgeNames, essentialEdges, markPageOwned } from './graph/essential-edges.js';
import { buildGraph, type HeapGraph } from './graph/graph.js';
import { buildPathTree, type PathTree } from './graph/retainer-path.js';
import { transferShallowSizes } from './graph/shallow-sizes.js';
import { dominatedChildren, summarizeClasses, type ClassSummary } from './graph/summary.js';
import type { RawSnapshot } from './types.js';

export type { ClassStats, ClassSummary } from './graph/summary.js';

/**
 * A heap snapshot analysed with Chrome DevTools' semantics: the graph, shallow sizes after
 * DevTools' transfer, the dominator tree, retained sizes and Summary-view classes. Everything is
 * indexed by node ordinal (position in the snapshot's node list).
 */
export class HeapAnalysis {
  private treeCache: { first: Uint32Array; children: Uint32Array } | undefined;
  private pathCache: PathTree | undefined;

  constructor(
    readonly graph: HeapGraph,
    readonly classes: ClassTable,
    /** Immediate dominator per node. */
    readonly dominator: Uint32Array,
    /** Retained size per node (bytes). */
    readonly retainedSize: Float64Array,
    readonly weakMaps: WeakMapEdgeNames,
    private readonly summary: ClassSummary,
  ) {}

  get nodeCount(): number {
    return this.graph.nodeCount;
  }

  /** Everything the snapshot holds: the root's retained size plus Chrome's extra native bytes (DevTools' total). */
  get totalSize(): number {
    return this.retainedSize[this.graph.rootOrdinal] + this.graph.extraNativeBytes;
  }

  /** The dominator tree as children lists (built on first use). */
  get dominatorTree(): { first: Uint32Array; children: Uint32Array } {
    this.treeCache ??= dominatedChildren(this.dominator, this.graph.rootOrdinal);
    return this.treeCache;
  }

  /** Shortest strong retainer paths for every node (built on first use). */
  get pathTree(): PathTree {
    this.pathCache ??= buildPathTree(this.graph);
    return this.pathCache;
  }

  /** Totals and per-class figures, largest retained size first. */
  classSummary(): ClassSummary {
    return this.summary;
  }

  className(node: number): string {
    return this.classes.names[this.classes.classOf[node]];
  }

  classKey(node: number): string {
    return this.classes.keys[this.classes.classOf[node]];
  }

  nodeTypeName(node: number): string {
    return this.graph.nodeTypeNames[this.graph.nodeType[node]];
  }

  rawName(node: number): string {
    return this.graph.strings.get(this.graph.nodeName[node]);
  }
}

/**
 * Analyses a parsed snapshot. Takes ownership of `raw`: its edge array is rewritten in place and
 * its node array's memory is reused for scratch work, so `raw` must not be used afterwards.
 *
 * Cost is a few linear passes over nodes and edges plus Lengauer–Tarjan, all over typed arrays.
 * Fresh memory is kept to a minimum: on a VM the first touch of each fresh page costs more than
 * the arithmetic, so scratch space reuses the parser's node array.
 */
export function analyzeSnapshot(raw: RawSnapshot): HeapAnalysis {
  const nf = Math.max(1, raw.meta.nodeFields.length);
  const n = Math.floor(raw.nodes.length / nf);
  const e = Math.floor(raw.edges.length / Math.max(1, raw.meta.edgeFields.length));
  const u32 = (len: number): number => arenaBytes(len, 4);
  // Fresh memory only for the node columns, essential-edge bits and in-degrees; the parser's node
  // array, once copied into columns, holds retained sizes, dominators, classes and all scratch work.
  const persist = new Arena(2 * arenaBytes(n, 1) + 3 * u32(n) + 2 * u32(n + 1) + arenaBytes((e + 7) >>> 3, 1));
  const g = buildGraph(raw, persist);
  const scratch = new Arena(0, raw.nodes);
  raw.nodes = new Uint32Array(0);
  propagateDomState(g);
  const weakMaps = new WeakMapEdgeNames(g.strings);
  const essential = essentialEdges(g, markPageOwned(g, scratch, scratch), weakMaps, persist);
  scratch.release(0);
  transferShallowSizes(g, scratch);
  // Retained sizes and dominators stay at the start of the reused node array; scratch work goes above.
  const { dominator, retainedSize } = computeDominators(g, essential, scratch, scratch);
  const classes = classifyNodes(g, scratch, scratch);
  const mark = scratch.mark();
  const summary = summarizeClasses(g, classes, { dominator, retainedSize }, dominatedChildren(dominator, g.rootOrdinal, scratch), scratch);
  scratch.release(mark);
  const detached = detachedDom(g);
  if (detached) summary.detached = detached;
  return new HeapAnalysis(g, classes, dominator, retainedSize, weakMaps, summary);
}

/** Retained sizes of every instance of a class (by name, all same-named rows), e.g. per connection. */
export function instanceRetainedSizes(analysis: HeapAnalysis, className: string): Float64Array {
  const { classOf, names } = analysis.classes;
  const wanted = new Uint8Array(names.length);
  let any = false;
  names.forEach((name, c) => {
    if (name === className) {
      wanted[c] = 1;
      any = true;
    }
  });
  if (!any) return new Float64Array(0);
  const selfSize = analysis.graph.selfSize;
  let count = 0;
  for (let v = 0; v < classOf.length; v++) if (wanted[classOf[v]] && selfSize[v] !== 0) count++;
  const out = new Float64Array(count);
  let i = 0;
  for (let v = 0; v < classOf.length; v++) if (wanted[classOf[v]] && selfSize[v] !== 0) out[i++] = analysis.retainedSize[v];
  return out;
}

/** Classes of V8's own objects: what programBytes leaves out, with everything only they hold. */
const V8_OWN = new Set(['(compiled code)', '(object shape)', '(system)']);

/**
 * The program's own objects, in bytes: every object's shallow size except V8's compiled code,
 * object shapes and system objects and whatever only they hold (what they dominate: strings of
 * flushed functions, descriptor arrays). An exact count at one moment, free of the code flushing
 * and recompiling that moves heap used by hundreds of KiB at still points; the steady window's
 * snapshots give it at two or three moments (growth.program).
 */
export function programBytes(analysis: HeapAnalysis): number {
  const { classOf, names } = analysis.classes;
  const own = new Uint8Array(names.length);
  names.forEach((name, c) => {
    if (V8_OWN.has(name)) own[c] = 1;
  });
  const g = analysis.graph;
  const { first, children } = analysis.dominatorTree;
  // Breadth-first down the dominator tree: a node is V8's when it or its dominator is.
  const inV8 = new Uint8Array(g.nodeCount);
  const queue = new Uint32Array(g.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = g.rootOrdinal;
  let bytes = 0;
  while (head < tail) {
    const v = queue[head++];
    if (!inV8[v]) bytes += g.selfSize[v];
    for (let k = first[v]; k < first[v + 1]; k++) {
      const w = children[k];
      inV8[w] = inV8[v] || own[classOf[w]];
      queue[tail++] = w;
    }
  }
  return bytes;
}

/**
 * What V8 keeps for itself beside the program's objects: object shapes (hidden classes, their
 * descriptors and transitions) and system objects, in bytes. They grow while the JIT settles, so
 * the steady growth fit sets them apart (see analysis/growth.ts). Code is not included: the fit
 * has V8's code statistics at every point for that.
 */
export function v8MetadataBytes(analysis: HeapAnalysis): number {
  const { classOf, names } = analysis.classes;
  const wanted = new Uint8Array(names.length);
  names.forEach((name, c) => {
    if (name === '(object shape)' || name === '(system)') wanted[c] = 1;
  });
  const selfSize = analysis.graph.selfSize;
  let bytes = 0;
  for (let v = 0; v < classOf.length; v++) if (wanted[classOf[v]]) bytes += selfSize[v];
  return bytes;
}
