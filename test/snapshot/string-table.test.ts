import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/snapshot/parse/string-table.js';

/** A table built as the parser builds one: ASCII strings as bytes, others decoded; tiny first allocations so both arrays grow. */
function build(strings: string[]): StringTable {
  const table = new StringTable(1, 1);
  for (const s of strings) {
    if (/^[\x20-\x7e]*$/.test(s) && !s.includes('"') && !s.includes('\\')) {
      const bytes = Buffer.from(`xx${s}yy`, 'latin1');
      table.addAscii(bytes, 2, 2 + s.length);
    } else {
      table.addString(s);
    }
  }
  table.seal();
  return table;
}

const STRINGS = ['', 'Object', 'é€ü', 'a "quoted" \\ one', '', 'x'.repeat(5000), 'Object', '\ud800lone', 'system / ExternalStringData', ')'];

describe('StringTable', () => {
  it('reads back every string, by index, in order and as an array', () => {
    const table = build(STRINGS);
    expect(table.length).toBe(STRINGS.length);
    STRINGS.forEach((s, i) => expect(table.get(i)).toBe(s));
    // Twice: the second read comes from the cache.
    STRINGS.forEach((s, i) => expect(table.get(i)).toBe(s));
    expect(table.toArray()).toEqual(STRINGS);
    const seen: Array<[string, number]> = [];
    table.forEach((s, i) => seen.push([s, i]));
    expect(seen).toEqual(STRINGS.map((s, i) => [s, i]));
    expect(StringTable.from(STRINGS).toArray()).toEqual(STRINGS);
  });

  it('compares, measures and searches without decoding, as a string array would', () => {
    const table = build(STRINGS);
    for (let i = 0; i < STRINGS.length; i++) {
      expect(table.lengthOf(i)).toBe(STRINGS[i].length);
      for (const k of [-1, 0, 1, STRINGS[i].length - 1, STRINGS[i].length]) expect(table.charCodeAt(i, k)).toEqual(STRINGS[i].charCodeAt(k));
      for (const other of STRINGS) expect(table.is(i, other)).toBe(STRINGS[i] === other);
      expect(table.is(i, STRINGS[i] + 'x')).toBe(false);
    }
    for (const s of [...STRINGS, 'missing', 'Objec', 'Objects']) expect(table.indexOf(s)).toBe(STRINGS.indexOf(s));
    expect(table.get(STRINGS.length)).toBeUndefined();
    expect(table.get(-1)).toBeUndefined();
    expect(table.lengthOf(STRINGS.length)).toBe(-1);
  });

  it('appends after the section', () => {
    const table = build(STRINGS);
    expect(table.push('Detached <div>')).toBe(STRINGS.length + 1);
    expect(table.get(STRINGS.length)).toBe('Detached <div>');
    expect(table.indexOf('Detached <div>')).toBe(STRINGS.length);
    expect(table.is(STRINGS.length, 'Detached <div>')).toBe(true);
    expect(table.toArray()).toEqual([...STRINGS, 'Detached <div>']);
  });
});
