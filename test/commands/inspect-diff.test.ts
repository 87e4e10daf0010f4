import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, memprof } from '../helpers.js';

let dir: string;
let classes: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-inspect-'));
  classes = join(dir, 'classes.heapsnapshot');
  const r = spawnSync(process.execPath, [join(ROOT, 'fixtures/heap/classes.mjs'), classes], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('memprof inspect', () => {
  it('--json lists every class with the contract fields; same-named classes stay apart', () => {
    const r = memprof(['inspect', classes, '--json', '--top', '3']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('memprof/inspect@1');
    expect(out.nodeCount).toBeGreaterThan(1000);
    expect(out.edgeCount).toBeGreaterThan(out.nodeCount);
    expect(out.classes.length).toBeGreaterThan(3);
    for (const c of out.classes) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'count', 'selfSize', 'retainedSize']));
      expect(c.retainedSize).toBeGreaterThanOrEqual(c.selfSize);
    }
    // Shallow sizes partition the heap.
    expect(out.classes.reduce((s: number, c: { selfSize: number }) => s + c.selfSize, 0)).toBe(out.totalSize);
    const servers = out.classes.filter((c: { name: string }) => c.name === 'Server');
    expect(servers).toHaveLength(2);
    expect(servers[0].location).not.toEqual(servers[1].location);
    expect(out.classes.find((c: { name: string }) => c.name === 'Session').count).toBe(200);
  });

  it('reads .heapsnapshot.gz to the same figures', () => {
    const gz = join(dir, 'classes.heapsnapshot.gz');
    writeFileSync(gz, gzipSync(readFileSync(classes)));
    const plain = JSON.parse(memprof(['inspect', classes, '--json']).stdout);
    const zipped = JSON.parse(memprof(['inspect', gz, '--json']).stdout);
    expect(zipped.classes).toEqual(plain.classes);
    expect(zipped.totalSize).toBe(plain.totalSize);
  });

  it('text shows the top N classes by retained size', () => {
    const r = memprof(['inspect', classes, '--top', '5']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/objects, .* references, total .*iB/);
    const rows = r.stdout.split('\n').filter((l) => /^\s{2}\S.*\d\.\d%$/.test(l));
    expect(rows).toHaveLength(5);
    expect(r.stdout).toContain('more classes');
  });

  it('bad input: one line on stderr, exit 2', () => {
    const notSnapshot = join(dir, 'not.heapsnapshot');
    writeFileSync(notSnapshot, '{"hello": [1, 2, 3]}');
    for (const file of [join(dir, 'missing.heapsnapshot'), notSnapshot, dir]) {
      const r = memprof(['inspect', file]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});

describe('memprof diff', () => {
  it('counts the records a leaking server added, as objects new in AFTER', async () => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'fixtures/heap/request-server.mjs'), 'leak'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    const before = join(dir, 'before.heapsnapshot');
    const after = join(dir, 'after.heapsnapshot');
    for (let i = 0; i < 20; i++) await get(`/warm/${i}`);
    await get(`/snapshot?path=${encodeURIComponent(before)}`);
    for (let i = 0; i < 60; i++) await get(`/work/${i}`);
    await get(`/snapshot?path=${encodeURIComponent(after)}`);
    child.kill();

    const r = memprof(['diff', before, after, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('memprof/diff@1');
    expect(out.sameProcess).toBe(true);
    const rec = out.classes.find((c: { name: string }) => c.name === 'RequestRecord');
    expect(rec).toMatchObject({ countBefore: 20, countAfter: 80, countDelta: 60, newCount: 60 });
    expect(rec.sizeDelta).toBe(rec.newSize);
    for (let i = 1; i < out.classes.length; i++) expect(out.classes[i - 1].sizeDelta).toBeGreaterThanOrEqual(out.classes[i].sizeDelta);

    const text = memprof(['diff', before, after, '--top', '50']);
    expect(text.stdout).toMatch(/RequestRecord.*\s20\s+80\s+\+60\s/);

    // Snapshots of two different processes: said on stderr and in the JSON.
    const other = memprof(['diff', classes, after, '--json']);
    expect(other.status).toBe(0);
    expect(other.stderr).toContain('different processes');
    expect(JSON.parse(other.stdout).sameProcess).toBe(false);
  });
});
