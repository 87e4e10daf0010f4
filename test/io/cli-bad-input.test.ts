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

  it('meta that leaves the numbers ambiguous: fewer node_types than node_fields, a root in the middle', () => {
    type Meta = { node_fields: string[]; node_types: unknown[] };
    const fewer = write('fewer-types.heapsnapshot', variant((j) => void (j.snapshot.meta as unknown as Meta).node_types.pop()));
    expect(rejects(fewer)).toMatch(/: meta\.node_types has \d+ entries for the \d+ fields of meta\.node_fields, so the fields' types are ambiguous \(at byte 12, in the "snapshot" section\)$/);
    const middle = write('root-middle.heapsnapshot', variant((j) => void Object.assign(j.snapshot, { root_index: 10 * j.snapshot.meta.node_fields.length })));
    expect(rejects(middle)).toMatch(/root_index \d+ names node #10, but the root must be the first or the last node/);
  });

  it('surplus node_types entries (as Node 24 writes) are read, and noted only under --debug', () => {
    const surplus = write('surplus-types.heapsnapshot', variant((j) => void (j.snapshot.meta as unknown as { node_types: unknown[] }).node_types.push('number')));
    const plain = memprof(['inspect', surplus, '--json']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).toBe('');
    expect(JSON.parse(plain.stdout).classes).toEqual(JSON.parse(memprof(['inspect', good, '--json']).stdout).classes);
    const debug = memprof(['inspect', surplus, '--json', '--debug']);
    expect(debug.status, debug.stderr).toBe(0);
    expect(debug.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^memprof: debug: ${surplus}: meta\\.node_types has \\d+ entries for \\d+ node_fields; the 1 extra entry \\(\\["number"\\]\\) ignored`))]);
  });
});
