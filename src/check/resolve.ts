/**
 * Looks figures up in a report by a check path. `*` runs over an array (one result per element,
 * named `pools[NAME]` when the element has a name, else by index); `.length` counts an array.
 */
export interface Resolved {
  /** The concrete figure, e.g. `pools[sessions].reuseRatio`. */
  id: string;
  value: unknown;
  /** When value is null or undefined: the path at which the lookup stopped (e.g. `connections`). */
  stoppedAt?: string;
  /** Undefined because a wildcard ran over an empty array. */
  emptyWildcard?: boolean;
}

export function resolvePath(root: unknown, path: string): Resolved[] {
  const out: Resolved[] = [];
  walk(root, path.split('.'), 0, '', out);
  return out;
}

function join(prefix: string, seg: string): string {
  return prefix === '' ? seg : `${prefix}.${seg}`;
}

function walk(cur: unknown, segs: string[], i: number, id: string, out: Resolved[]): void {
  if (i === segs.length) {
    out.push({ id, value: cur });
    return;
  }
  if (cur === null || cur === undefined) {
    out.push({ id: [id, ...segs.slice(i)].filter(Boolean).join('.'), value: cur, stoppedAt: id });
    return;
  }
  const seg = segs[i];
  if (seg === '*') {
    if (!Array.isArray(cur) || cur.length === 0) {
      out.push({ id: [id, ...segs.slice(i)].join('.'), value: undefined, stoppedAt: id, emptyWildcard: Array.isArray(cur) });
      return;
    }
    cur.forEach((el, k) => {
      const name = el && typeof el === 'object' && typeof (el as { name?: unknown }).name === 'string' ? (el as { name: string }).name : null;
      walk(el, segs, i + 1, name !== null ? `${id}[${name}]` : join(id, String(k)), out);
    });
    return;
  }
  if (Array.isArray(cur) && seg === 'length') {
    walk(cur.length, segs, i + 1, join(id, seg), out);
    return;
  }
  const next = typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined;
  walk(next, segs, i + 1, join(id, seg), out);
}
