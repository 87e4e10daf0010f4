import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, memprof } from '../helpers.js';

/**
 * A real HTTP server handles real requests; three snapshots (after warm-up, after 100 requests,
 * after 50 more). In leak mode it keeps each request's record in a module-level Map `sessions`.
 */
let dir: string;
const children: ChildProcess[] = [];

async function threeSnapshots(mode: 'leak' | 'clean'): Promise<[string, string, string]> {
  const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'fixtures/heap/request-server.mjs'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
  });
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  const work = async (k: number) => {
    for (let i = 0; i < k; i++) await get(`/api/items/${i}?page=${i % 7}`);
  };
  const files = ['baseline', 'target', 'final'].map((n) => join(dir, `${mode}-${n}.heapsnapshot`)) as [string, string, string];
  await work(30);
  await get(`/snapshot?path=${encodeURIComponent(files[0])}`);
  await work(100);
  await get(`/snapshot?path=${encodeURIComponent(files[1])}`);
  await work(50);
  await get(`/snapshot?path=${encodeURIComponent(files[2])}`);
  child.kill();
  return files;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-leaks-'));
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('memprof leaks', () => {
  it('finds the records a server keeps in a module-level Map, with a path through the variable', async () => {
    const files = await threeSnapshots('leak');
    const r = memprof(['leaks', ...files, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('memprof/leaks@1');
    // Only the records: the HTTP parsers, sockets' leftovers and strings Node keeps meanwhile are its own.
    expect(out.leaks.map((l: { name: string }) => l.name)).toEqual(['RequestRecord']);
    const top = out.leaks[0];
    expect(top.name).toBe('RequestRecord');
    expect(top.count).toBe(100);
    expect(top.retainedSize).toBeGreaterThan(100 * 200);
    expect(top.path).toContain('sessions');
    expect(top.path).toContain('Map');
    expect(top.path.at(-1)).toBe('RequestRecord');
    // Largest first.
    for (let i = 1; i < out.leaks.length; i++) expect(out.leaks[i - 1].retainedSize).toBeGreaterThanOrEqual(out.leaks[i].retainedSize);

    const failing = memprof(['leaks', ...files, '--fail-on-leak']);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('RequestRecord');
    expect(failing.stdout).toContain('sessions > Map');
  });

  it('reports nothing for the same server doing the same work without keeping it', async () => {
    const files = await threeSnapshots('clean');
    const text = memprof(['leaks', ...files, '--fail-on-leak']);
    expect(text.stdout).not.toContain('RequestRecord');
    expect(text.stdout).toContain('no leak found');
    expect(text.status).toBe(0);
    expect(JSON.parse(memprof(['leaks', ...files, '--json']).stdout).leaks).toEqual([]);
    // Without the filters, V8's own allocations between the snapshots show up: the filter is what hides them.
    const all = JSON.parse(memprof(['leaks', ...files, '--json', '--all']).stdout);
    expect(all.leaks.length).toBeGreaterThan(0);
  });

  it('rejects a missing snapshot with one line and exit 2', () => {
    const r = memprof(['leaks', join(dir, 'nope1'), join(dir, 'nope2'), join(dir, 'nope3')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope1');
  });
});
