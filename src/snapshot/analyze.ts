import { classifyNodes, type ClassTable } from './class-names.js';
import { propagateDomState } from './dom-state.js';
import { computeDominators } from './dominators.js';
import { WeakMapEdgeNames, essentialEdges, markPageOwned } from './essential-edges.js';
import { buildGraph, type HeapGraph } from './graph.js';
import { transferShallowSizes } from './shallow-sizes.js';
import { dominatedChildren, summarizeClasses, type ClassSummary } from './summary.js';
import type { RawSnapshot } from './types.js';

export type { ClassStats, ClassSummary } from './summary.js';

/**
 * A heap snapshot analysed with Chrome DevTools' semantics: the graph, shallow sizes after
 * DevTools' transfer, the dominator tree, retained sizes and Summary-view classes. Everything is
 * indexed by node ordinal (position in the snapshot's node list).
 */
export class HeapAnalysis {
  private summary: ClassSummary | undefined;
  private treeCache: { first: Uint32Array; children: Uint32Array } | undefined;

  constructor(
    readonly graph: HeapGraph,
    readonly classes: ClassTable,
    /** Immediate dominator per node. */
    readonly dominator: Uint32Array,
    /** Retained size per node (bytes). */
    readonly retainedSize: Float64Array,
    readonly weakMaps: WeakMapEdgeNames,
  ) {}

  get nodeCount(): number {
    return this.graph.nodeCount;
  }

  /** Everything the snapshot holds: the root's retained size. */
  get totalSize(): number {
    return this.retainedSize[this.graph.rootOrdinal];
  }

  /** The dominator tree as children lists (built on first use). */
  get dominatorTree(): { first: Uint32Array; children: Uint32Array } {
    this.treeCache ??= dominatedChildren(this.dominator, this.graph.rootOrdinal);
    return this.treeCache;
  }

  /** Totals and per-class figures, largest retained size first (computed once). */
  classSummary(): ClassSummary {
    this.summary ??= summarizeClasses(this.graph, this.classes, { dominator: this.dominator, retainedSize: this.retainedSize }, this.dominatorTree);
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
    return this.graph.strings[this.graph.nodeName[node]];
  }
}

/**
 * Analyses a parsed snapshot. Takes ownership of `raw` (its arrays are reused and released).
 * Cost is a few linear passes over nodes and edges plus Lengauer–Tarjan; memory is typed arrays.
 */
export function analyzeSnapshot(raw: RawSnapshot): HeapAnalysis {
  const g = buildGraph(raw);
  propagateDomState(g);
  const weakMaps = new WeakMapEdgeNames(g.strings);
  let essential: Uint8Array | undefined = essentialEdges(g, markPageOwned(g), weakMaps);
  transferShallowSizes(g);
  const { dominator, retainedSize } = computeDominators(g, essential);
  essential = undefined;
  const classes = classifyNodes(g);
  return new HeapAnalysis(g, classes, dominator, retainedSize, weakMaps);
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
