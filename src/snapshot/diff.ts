import type { HeapAnalysis } from './analyze.js';
import type { DetachedDomFigures } from './browser/detached-dom.js';

const SIG_BITS = 2 ** 21;

export interface ClassFigures {
  name: string;
  count: number;
  selfSize: number;
  retainedSize: number;
  location?: { scriptId: number; line: number; column: number };
}

/**
 * What a diff keeps of the BEFORE snapshot, so that the two snapshots are never in memory
 * together: per-class figures, and each node's id with a 21-bit signature of its type and name
 * (id * 2^21 + signature, sorted).
 */
export interface DiffBase {
  classes: Map<string, ClassFigures>;
  idsAndSignatures: Float64Array;
  /** BEFORE's detached DOM, when it records DOM state. */
  detached?: DetachedDomFigures;
}

export interface DiffRow {
  name: string;
  /** DevTools' class key, which tells same-named classes apart. */
  key: string;
  location?: { scriptId: number; line: number; column: number };
  countBefore: number;
  countAfter: number;
  countDelta: number;
  sizeBefore: number;
  sizeAfter: number;
  /** Change of the class's shallow size (sizeAfter - sizeBefore). */
  sizeDelta: number;
  retainedBefore: number;
  retainedAfter: number;
  /** Objects in AFTER whose id is absent from BEFORE, and their shallow size. */
  newCount: number;
  newSize: number;
}

export interface SnapshotDiff {
  /** False when the two snapshots look like different processes (ids name different objects). */
  sameProcess: boolean;
  /** Of the AFTER objects whose id also occurs in BEFORE, the share whose type or name differs there. */
  idMismatchRatio: number;
  /** Classes that changed, largest size growth first. */
  classes: DiffRow[];
  /** Detached DOM in both snapshots, when either records DOM state (a browser page's). */
  detached?: { before: DetachedDomFigures; after: DetachedDomFigures };
}

function signatures(a: HeapAnalysis): (v: number) => number {
  const g = a.graph;
  const cache = new Map<number, number>();
  return (v) => {
    const s = g.nodeName[v];
    let h = cache.get(s);
    if (h === undefined) {
      const text = g.strings.get(s);
      h = 0x811c9dc5 ^ text.length;
      for (let i = 0, l = Math.min(text.length, 48); i < l; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      cache.set(s, h);
    }
    return (Math.imul(h ^ g.nodeType[v], 0x01000193) >>> 0) % SIG_BITS;
  };
}

export function diffBase(a: HeapAnalysis): DiffBase {
  const classes = new Map<string, ClassFigures>();
  for (const c of a.classSummary().classes) {
    classes.set(c.key, { name: c.name, count: c.count, selfSize: c.selfSize, retainedSize: c.retainedSize, location: c.location });
  }
  const g = a.graph;
  const sig = signatures(a);
  const out = new Float64Array(g.nodeCount);
  for (let v = 0; v < g.nodeCount; v++) out[v] = g.nodeId[v] * SIG_BITS + sig(v);
  out.sort();
  const detached = a.classSummary().detached;
  return { classes, idsAndSignatures: out, ...(detached ? { detached } : {}) };
}

/** Index of the entry for `id`, or -1. */
function find(sorted: Float64Array, id: number): number {
  const lowest = id * SIG_BITS;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < lowest) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && Math.floor(sorted[lo] / SIG_BITS) === id ? lo : -1;
}

/** Per-class deltas between BEFORE (as a DiffBase) and AFTER, with the objects new in AFTER. */
export function diffSnapshots(before: DiffBase, after: HeapAnalysis): SnapshotDiff {
  const g = after.graph;
  const { classOf, keys } = after.classes;
  const k = keys.length;
  const newCount = new Float64Array(k);
  const newSize = new Float64Array(k);
  const sig = signatures(after);
  let shared = 0;
  let mismatched = 0;
  const synthetic = g.types.synthetic;
  for (let v = 0; v < g.nodeCount; v++) {
    const at = find(before.idsAndSignatures, g.nodeId[v]);
    if (at >= 0) {
      if (g.nodeType[v] !== synthetic) {
        shared++;
        if (before.idsAndSignatures[at] % SIG_BITS !== sig(v)) mismatched++;
      }
      continue;
    }
    const size = g.selfSize[v];
    if (size === 0) continue;
    newCount[classOf[v]]++;
    newSize[classOf[v]] += size;
  }
  const idMismatchRatio = shared > 0 ? mismatched / shared : 1;

  const rows = new Map<string, DiffRow>();
  const row = (key: string, name: string): DiffRow => {
    let r = rows.get(key);
    if (!r) {
      r = { name, key, countBefore: 0, countAfter: 0, countDelta: 0, sizeBefore: 0, sizeAfter: 0, sizeDelta: 0, retainedBefore: 0, retainedAfter: 0, newCount: 0, newSize: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const [key, c] of before.classes) {
    const r = row(key, c.name);
    r.countBefore = c.count;
    r.sizeBefore = c.selfSize;
    r.retainedBefore = c.retainedSize;
    if (c.location) r.location = c.location;
  }
  const classIndex = new Map<string, number>();
  keys.forEach((key, c) => classIndex.set(key, c));
  for (const c of after.classSummary().classes) {
    const r = row(c.key, c.name);
    r.countAfter = c.count;
    r.sizeAfter = c.selfSize;
    r.retainedAfter = c.retainedSize;
    if (c.location) r.location = c.location;
    const i = classIndex.get(c.key)!;
    r.newCount = newCount[i];
    r.newSize = newSize[i];
  }
  const classes: DiffRow[] = [];
  for (const r of rows.values()) {
    r.countDelta = r.countAfter - r.countBefore;
    r.sizeDelta = r.sizeAfter - r.sizeBefore;
    if (r.countDelta !== 0 || r.sizeDelta !== 0 || r.newCount !== 0) classes.push(r);
  }
  classes.sort((a, b) => b.sizeDelta - a.sizeDelta || b.countDelta - a.countDelta || (a.key < b.key ? -1 : 1));
  const afterDetached = after.classSummary().detached;
  const none = { nodes: 0, nodesSize: 0, retainedCount: 0, retainedSize: 0 };
  const detached = before.detached || afterDetached ? { detached: { before: before.detached ?? none, after: afterDetached ?? none } } : {};
  return { sameProcess: shared > 0 && idMismatchRatio < 0.1, idMismatchRatio, classes, ...detached };
}
