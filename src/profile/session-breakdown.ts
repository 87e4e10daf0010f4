import type { HeapAnalysis } from '../snapshot/index.js';
import type { SessionBreakdown } from './recording.js';

/**
 * What one typical connection holds: the instance of `className` whose retained size is the
 * median, and everything it alone keeps alive (its dominator subtree) grouped by class. The shallow
 * sizes of the groups add up to the instance's retained size exactly, so the breakdown accounts for
 * every byte — the measured counterpart of the origin report's "allocation breakdown".
 */
export function typicalSessionBreakdown(analysis: HeapAnalysis, className: string, top = 12): SessionBreakdown | null {
  const { classOf, names } = analysis.classes;
  const selfSize = analysis.graph.selfSize;
  const instances: number[] = [];
  for (let v = 0; v < classOf.length; v++) {
    if (names[classOf[v]] === className && selfSize[v] !== 0) instances.push(v);
  }
  if (instances.length === 0) return null;
  instances.sort((a, b) => analysis.retainedSize[a] - analysis.retainedSize[b]);
  const chosen = instances[Math.floor((instances.length - 1) / 2)];

  const { first, children } = analysis.dominatorTree;
  const byClass = new Map<string, { count: number; bytes: number }>();
  const stack = [chosen];
  while (stack.length > 0) {
    const v = stack.pop()!;
    const size = selfSize[v];
    if (size !== 0) {
      const name = analysis.className(v);
      const row = byClass.get(name) ?? { count: 0, bytes: 0 };
      row.count++;
      row.bytes += size;
      byClass.set(name, row);
    }
    for (let i = first[v]; i < first[v + 1]; i++) stack.push(children[i]);
  }
  const rows = [...byClass.entries()].map(([name, r]) => ({ name, count: r.count, retainedBytes: r.bytes })).sort((a, b) => b.retainedBytes - a.retainedBytes);
  const shown = rows.slice(0, top);
  const rest = rows.slice(top);
  if (rest.length > 0) {
    shown.push({
      name: `(${rest.length} other classes)`,
      count: rest.reduce((s, r) => s + r.count, 0),
      retainedBytes: rest.reduce((s, r) => s + r.retainedBytes, 0),
    });
  }
  return { class: className, retainedBytes: analysis.retainedSize[chosen], holds: shown };
}
