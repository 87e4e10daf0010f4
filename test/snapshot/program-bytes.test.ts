import { describe, expect, it } from 'vitest';
import { programBytes } from '../../src/snapshot/analyze.js';
import { tinySnapshot, type TinyNode } from './tiny-snapshot.js';

describe('programBytes: the program’s own objects', () => {
  it('leaves out V8’s code, shapes and system objects and what only they hold; keeps what the program shares with them', () => {
    const nodes: TinyNode[] = [
      { name: 'root', type: 'synthetic', label: '', id: 1, size: 0, edges: [['element', 1, 'session'], ['element', 2, 'code'], ['element', 3, 'shape'], ['element', 4, 'feedback']] },
      { name: 'session', type: 'object', label: 'Session', id: 3, size: 10, edges: [['property', 'id', 'sid'], ['property', 'name', 'shared']] },
      { name: 'sid', type: 'string', id: 5, size: 5 },
      { name: 'code', type: 'code', id: 7, size: 100, edges: [['internal', 'source', 'flushed'], ['internal', 'name', 'shared']] },
      { name: 'flushed', type: 'string', id: 9, size: 7 },
      { name: 'shared', type: 'string', id: 11, size: 3 },
      { name: 'shape', type: 'object shape', id: 13, size: 40, edges: [['internal', 'descriptors', 'descriptors']] },
      { name: 'descriptors', type: 'array', id: 15, size: 24 },
      { name: 'feedback', type: 'hidden', id: 17, size: 16 },
    ];
    // session 10 + its id 5 + the string both it and the code hold 3; not the code, its flushed source, the shape, its descriptors or the system object.
    expect(programBytes(tinySnapshot(nodes))).toBe(18);
  });
});
