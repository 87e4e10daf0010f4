import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockWriter } from '../../src/inspector/block-writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('BlockWriter', () => {
  it('writes every chunk in order: small, multi-byte, and larger than a block, with backpressure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memprof-bw-'));
    dirs.push(dir);
    const path = join(dir, 'out');
    const fh = await open(path, 'w');
    const w = new BlockWriter(fh);
    const chunks: string[] = [];
    for (let i = 0; i < 300; i++) chunks.push(`${i}:` + 'é'.repeat((i * 7919) % 20_000) + (i % 100 === 0 ? 'x'.repeat(1.5 * 1024 * 1024) : ''));
    let refusals = 0;
    for (const c of chunks) {
      if (!w.write(c)) {
        refusals++;
        await new Promise<void>((r) => w.onDrain(r));
      }
    }
    await w.end();
    await fh.close();
    expect(refusals).toBeGreaterThan(0);
    expect(readFileSync(path, 'utf8')).toBe(chunks.join(''));
  });

  it('reports a write error instead of losing data silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memprof-bw-'));
    dirs.push(dir);
    const fh = await open(join(dir, 'ro'), 'w');
    await fh.close();
    const ro = await open(join(dir, 'ro'), 'r');
    const w = new BlockWriter(ro);
    w.write('x'.repeat(2 * 1024 * 1024));
    await expect(w.end()).rejects.toThrow(/EBADF/);
    await ro.close();
  });
});
