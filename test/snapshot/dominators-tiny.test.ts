import { describe, expect, it } from 'vitest';
import { ordinalOf, tinySnapshot, type TinyNode } from './tiny-snapshot.js';

/**
 * Dominators and retained sizes on graphs small enough to work out by hand (the DevTools
 * comparison in devtools-analysis.test.ts checks real heaps; these pin the rules themselves).
 */
function analyse(nodes: TinyNode[]) {
  const a = tinySnapshot(nodes);
  const idom = (name: string) => nodes[a.dominator[ordinalOf(nodes, name)]].name;
  const retained = (name: string) => a.retainedSize[ordinalOf(nodes, name)];
  return { idom, retained };
}

const root = (edges: TinyNode['edges']): TinyNode => ({ name: 'root', type: 'synthetic', label: '', id: 1, size: 0, edges });
const obj = (name: string, size: number, edges: TinyNode['edges'] = []): TinyNode => ({ name, type: 'object', label: 'Thing', id: 100 + name.charCodeAt(0) * 2, size, edges });

describe('dominators on tiny graphs', () => {
  it('a chain: each node dominates the rest of it, retained sizes add up', () => {
    const { idom, retained } = analyse([root([['element', 1, 'a']]), obj('a', 10, [['property', 'next', 'b']]), obj('b', 20, [['property', 'next', 'c']]), obj('c', 30)]);
    expect([idom('a'), idom('b'), idom('c')]).toEqual(['root', 'a', 'b']);
    expect([retained('a'), retained('b'), retained('c')]).toEqual([60, 50, 30]);
  });

  it('a diamond: the join is dominated by the fork, not by either side', () => {
    const { idom, retained } = analyse([
      root([['element', 1, 'a']]),
      obj('a', 1, [['property', 'l', 'b'], ['property', 'r', 'c']]),
      obj('b', 2, [['property', 'x', 'd']]),
      obj('c', 4, [['property', 'x', 'd']]),
      obj('d', 8),
    ]);
    expect(idom('d')).toBe('a');
    expect(retained('b')).toBe(2);
    expect(retained('c')).toBe(4);
    expect(retained('a')).toBe(15);
  });

  it('a second path from the root takes the node out of the subtree; a weak edge does not', () => {
    const shared = analyse([root([['element', 1, 'a'], ['element', 2, 'c']]), obj('a', 1, [['property', 'x', 'c']]), obj('c', 5)]);
    expect(shared.idom('c')).toBe('root');
    expect(shared.retained('a')).toBe(1);
    const weak = analyse([root([['element', 1, 'a'], ['weak', 2, 'c']]), obj('a', 1, [['property', 'x', 'c']]), obj('c', 5)]);
    expect(weak.idom('c')).toBe('a');
    expect(weak.retained('a')).toBe(6);
  });

  it('a cycle below one node is retained by it as a whole', () => {
    const { idom, retained } = analyse([root([['element', 1, 'a']]), obj('a', 1, [['property', 'x', 'b']]), obj('b', 2, [['property', 'y', 'c']]), obj('c', 3, [['property', 'back', 'b']])]);
    expect(idom('c')).toBe('b');
    expect(retained('a')).toBe(6);
    expect(retained('b')).toBe(5);
  });
});
