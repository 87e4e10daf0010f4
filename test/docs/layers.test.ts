import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM module of the lint config, without types
import { LAYERS } from '../../eslint.layers.js';

describe('the layers of src/', () => {
  it('name every folder of src/, once, so the lint rule covers all of them', () => {
    const folders = readdirSync(new URL('../../src/', import.meta.url), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const listed = (LAYERS as string[][]).flat();
    expect([...listed].sort()).toEqual(folders);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
