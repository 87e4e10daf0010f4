import type { Arena } from '../arena.js';
import type { EssentialEdges } from './essential-edges.js';
import type { HeapGraph } from './graph.js';

const NONE = 0xffffffff;

export interface Dominators {
  /** Immediate dominator of each node (the root dominates itself). */
  dominator: Uint32Array;
  /** Self size plus the sizes of everything the node dominates. */
  retainedSize: Float64Array;
}

/**
 * Predecessor lists over the essential edges only (counting sort by target): what the dominator
 * computation needs, half the size of full retainer lists.
 */
function essentialPredecessors(g: HeapGraph, essential: Uint8Array, inDegree: Uint32Array, arena: Arena): { first: Uint32Array; from: Uint32Array } {
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeToOffset: toOff } = g;
  // In place: in-degrees become running totals (each slot's end); filling each slot from its end
  // leaves them at the slot starts.
  const first = inDegree;
  let acc = 0;
  for (let v = 0; v < n; v++) {
    acc += first[v];
    first[v] = acc;
  }
  first[n] = acc;
  const from = arena.u32(acc);
  for (let v = 0; v < n; v++) {
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      if (essential[e >>> 3] & (1 << (e & 7))) from[--first[edges[e * ef + toOff]]] = v;
    }
  }
  return { first, from };
}

/**
 * Dominator tree and retained sizes with DevTools' rules for what hangs where:
 * - the flow graph is the essential edges, from the root;
 * - nodes not reached that way and with no essential retainer at all (only weakly held) hang
 *   under the root, together with what they reach;
 * - anything still unreached (cycles with no way in) is dominated by the root directly.
 *
 * Lengauer–Tarjan (the simple version: path compression, no balancing), iterative throughout, all
 * state in typed arrays. `selfSize` must already hold the shallow sizes to sum.
 */
export function computeDominators(g: HeapGraph, essentialEdges: EssentialEdges, scratch: Arena, out: Arena): Dominators {
  const essential = essentialEdges.bits;
  const retainedSize = out.f64(g.nodeCount);
  const dom = out.u32(g.nodeCount);
  const { nodeCount: n, firstEdge, edges, edgeFieldCount: ef, edgeToOffset: toOff } = g;
  const root = g.rootOrdinal;
  const mark = scratch.mark();

  // semi[v]: DFS number (1-based, 0 = not reached) until v is processed, then its semidominator's number.
  const semi = scratch.u32(n);
  // vertex[k - 1] is the node with DFS number k (numbers are 1-based, the array 0-based).
  const vertex = scratch.u32(n);
  // `parent[w]` is last read when w is processed, and `dom[w]` first written then or later: they
  // share memory.
  const parent = dom;
  const cursor = scratch.u32(n);
  const bucketNext = scratch.u32(n);
  // Predecessors last: if the scratch space runs out, only they get fresh memory.
  const preds = essentialPredecessors(g, essential, essentialEdges.inDegree, scratch);
  const predFirst = preds.first;
  const predFrom = preds.from;
  let count = 0;

  // Iterative DFS walking back up through `parent`, so no explicit stack is needed.
  const dfs = (start: number, from: number): void => {
    parent[start] = from;
    semi[start] = ++count;
    vertex[count - 1] = start;
    cursor[start] = firstEdge[start];
    let v = start;
    while (true) {
      let next = NONE;
      for (let e = cursor[v], end = firstEdge[v + 1]; e < end; e++) {
        if (!(essential[e >>> 3] & (1 << (e & 7)))) continue;
        const w = edges[e * ef + toOff];
        if (semi[w] !== 0) continue;
        cursor[v] = e + 1;
        next = w;
        break;
      }
      if (next === NONE) {
        cursor[v] = firstEdge[v + 1];
        if (v === start) return;
        v = parent[v];
        continue;
      }
      parent[next] = v;
      semi[next] = ++count;
      vertex[count - 1] = next;
      cursor[next] = firstEdge[next];
      v = next;
    }
  };

  dfs(root, root);
  if (count < n) {
    for (let v = 0; v < n; v++) {
      if (semi[v] === 0 && predFirst[v] === predFirst[v + 1]) dfs(v, root);
    }
  }
  const reached = count;

  // Lengauer–Tarjan proper over the `reached` vertices; `cursor` is reused as bucket heads.
  // `ancestor` and `label` live in the retained sizes' memory until those are computed.
  const borrowed = new Uint32Array(retainedSize.buffer, retainedSize.byteOffset, 2 * n);
  const ancestor = borrowed.subarray(0, n).fill(NONE);
  const label = borrowed.subarray(n, 2 * n);
  for (let v = 0; v < n; v++) label[v] = v;
  const bucketHead = cursor.fill(NONE);
  // Compression paths are short in practice; grows when needed.
  const stack: CompressStack = { path: new Uint32Array(1024) };

  for (let i = reached; i >= 2; i--) {
    const w = vertex[i - 1];
    let s = semi[w];
    let hasPred = false;
    for (let p = predFirst[w], end = predFirst[w + 1]; p < end; p++) {
      const v = predFrom[p];
      hasPred = true;
      if (semi[v] === 0) continue; // unreachable cycle member: never influences reached nodes
      const u = ancestor[v] === NONE ? v : evalCompress(v, ancestor, label, semi, stack);
      if (semi[u] < s) s = semi[u];
    }
    // Only-weakly-held starts hang under the root, as if the root pointed at them.
    if (!hasPred) s = semi[root];
    semi[w] = s;
    const sv = vertex[s - 1];
    bucketNext[w] = bucketHead[sv];
    bucketHead[sv] = w;
    const pw = parent[w];
    ancestor[w] = pw;
    for (let v = bucketHead[pw]; v !== NONE; v = bucketNext[v]) {
      const u = ancestor[v] === NONE ? v : evalCompress(v, ancestor, label, semi, stack);
      dom[v] = semi[u] < semi[v] ? u : pw;
    }
    bucketHead[pw] = NONE;
  }
  dom[root] = root;
  for (let i = 2; i <= reached; i++) {
    const w = vertex[i - 1];
    if (dom[w] !== vertex[semi[w] - 1]) dom[w] = dom[dom[w]];
  }
  // Whatever is still unreached hangs directly under the root.
  let order = reached;
  if (reached < n) {
    for (let v = 0; v < n; v++) {
      if (semi[v] === 0) {
        dom[v] = root;
        vertex[order++] = v;
      }
    }
  }

  const selfSize = g.selfSize;
  for (let v = 0; v < n; v++) retainedSize[v] = selfSize[v];
  // Reverse DFS order: every node is finished before its dominator, which was numbered earlier.
  for (let i = n; i >= 2; i--) {
    const v = vertex[i - 1];
    retainedSize[dom[v]] += retainedSize[v];
  }
  scratch.release(mark);
  return { dominator: dom, retainedSize };
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Scratch for evalCompress: compression paths are short in practice; grows when needed. */
interface CompressStack {
  path: Uint32Array;
}

/**
 * Lengauer–Tarjan's eval(v) with path compression: the vertex of least semidominator on the
 * forest path above v, compressing that path as it goes. Iterative, so deep paths cannot
 * overflow the call stack.
 */
function evalCompress(v: number, ancestor: Uint32Array, label: Uint32Array, semi: Uint32Array, stack: CompressStack): number {
  let path = stack.path;
  let top = 0;
  let x = v;
  while (ancestor[ancestor[x]] !== NONE) {
    if (top === path.length) path = stack.path = grow(path);
    path[top++] = x;
    x = ancestor[x];
  }
  while (top > 0) {
    const y = path[--top];
    const a = ancestor[y];
    if (semi[label[a]] < semi[label[y]]) label[y] = label[a];
    ancestor[y] = ancestor[a];
  }
  return label[v];
}
