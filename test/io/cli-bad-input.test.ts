import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';
import { badFileKit, makeTempDir, prng, writeRealSnapshot, type SnapshotJson } from '../snapshot/parser-fixture.js';

let tmp: ReturnType<typeof makeTempDir>;
let good: string;
let bytes: Buffer;

beforeAll(() => {
  tmp = makeTempDir();
  good = writeRealSnapshot(tmp.dir);
  bytes = readFileSync(good);
});
afterAll(() => tmp.cleanup());

const write = (name: string, data: Uint8Array | string): string => badFileKit(tmp.dir, bytes).write(name, data);
const variant = (change: (j: SnapshotJson) => void): Buffer => badFileKit(tmp.dir, bytes).variant(change);

/** Runs `memprof inspect FILE --json` and checks the contract for bad input: exit 2, one line, no stack, no output. */
function rejects(path: string): string {
  const r = memprof(['inspect', path, '--json']);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^memprof: /);
  expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/);
  expect(lines[0]).toContain(path);
  return lines[0];
}

describe('memprof inspect on bad snapshot files: exit 2 and one line saying what and where', () => {
  it('reads the good file it is compared with', () => {
    const r = memprof(['inspect', good, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).nodeCount).toBeGreaterThan(1000);
  });

  it('missing file, directory, empty file', () => {
    expect(rejects(join(tmp.dir, 'missing.heapsnapshot'))).toMatch(/no such file/);
    const dir = join(tmp.dir, 'dir.heapsnapshot');
    mkdirSync(dir);
    expect(rejects(dir)).toMatch(/is a directory/);
    expect(rejects(write('empty.heapsnapshot', ''))).toMatch(/is empty \(0 bytes\)/);
  });

  it('truncated gzip, truncated JSON, random bytes, JSON that is not a snapshot', () => {
    const gz = gzipSync(bytes);
    expect(rejects(write('half.heapsnapshot.gz', gz.subarray(0, gz.length >> 1)))).toMatch(/truncated gzip data/);
    expect(rejects(write('half.heapsnapshot', bytes.subarray(0, bytes.length >> 1)))).toMatch(/truncated heap snapshot: the data ends at byte \d+, inside the "\w+" section/);
    const rnd = prng(9);
    expect(rejects(write('noise.heapsnapshot', Buffer.from(Array.from({ length: 5000 }, () => 0x80 + Math.floor(rnd() * 128)))))).toMatch(
      /not a heap snapshot: expected '\{' at the start of the JSON, found byte 0x[89a-f][0-9a-f] \(at byte 0\)/,
    );
    expect(rejects(write('tsconfig.json', '{"compilerOptions":{"strict":true}}'))).toMatch(/not a V8 heap snapshot/);
  });

  it('short arrays, edges out of range or misaligned, edge_count sum mismatch', () => {
    const to = 2;
    expect(rejects(write('short.heapsnapshot', variant((j) => j.nodes.splice(-7))))).toMatch(/the nodes array is short/);
    expect(rejects(write('out.heapsnapshot', variant((j) => (j.edges[to] = j.nodes.length))))).toMatch(/edge #0 has to_node \d+, outside the \d+ nodes/);
    expect(rejects(write('misaligned.heapsnapshot', variant((j) => (j.edges[to] = 1))))).toMatch(/edge #0 has to_node 1, not at the start of a node/);
    expect(rejects(write('sum.heapsnapshot', variant((j) => (j.nodes[4] += 1))))).toMatch(/edge_count fields add up to/);
  });
});
