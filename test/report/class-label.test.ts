import { describe, expect, it } from 'vitest';
import { classLabel, sharedClassNames } from '../../src/report/inspect-text.js';

describe('class labels', () => {
  const rows = [
    { name: 'Server', location: { scriptId: 10, line: 3, column: 1 } },
    { name: 'Server', location: { scriptId: 11, line: 7, column: 5 } },
    { name: 'Session', location: { scriptId: 10, line: 9, column: 1 } },
    { name: 'Map' },
  ];
  const shared = sharedClassNames(rows);

  it('adds the constructor location only where two rows share a name', () => {
    expect(rows.map((r) => classLabel(r, shared))).toEqual([
      'Server (script 10 line 3:1)',
      'Server (script 11 line 7:5)',
      'Session',
      'Map',
    ]);
  });
});
