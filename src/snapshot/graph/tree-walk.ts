/**
 * Depth-first walk of a tree given as children lists (`first`, `children`), calling `enter` before
 * a node's children and `leave` after them. The stack grows on demand: dominator trees are
 * usually shallow, so this stays small instead of taking two arrays of n.
 */
export function walkTree(
  first: Uint32Array,
  children: Uint32Array,
  root: number,
  enter: (node: number) => void,
  leave: (node: number) => void,
): void {
  let stack = new Uint32Array(1024);
  let cursor = new Uint32Array(1024);
  let sp = 1;
  stack[0] = root;
  cursor[0] = first[root];
  enter(root);
  while (sp > 0) {
    const v = stack[sp - 1];
    const at = cursor[sp - 1];
    if (at < first[v + 1]) {
      cursor[sp - 1] = at + 1;
      const w = children[at];
      enter(w);
      if (sp === stack.length) {
        stack = grow(stack);
        cursor = grow(cursor);
      }
      stack[sp] = w;
      cursor[sp] = first[w];
      sp++;
    } else {
      sp--;
      leave(v);
    }
  }
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
