import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/io/read-snapshot.js';
import { SnapshotFormatError, parseSnapshot } from '../../src/snapshot/parse/parser.js';
import type { RawSnapshot } from '../../src/snapshot/types.js';
import { MemprofError } from '../../src/util/errors.js';
import { badFileKit, makeTempDir, prng, writeRealSnapshot, type SnapshotJson } from '../snapshot/parser-fixture.js';

let tmp: ReturnType<typeof makeTempDir>;
let file: string;
let bytes: Buffer;

beforeAll(() => {
  tmp = makeTempDir();
  file = writeRealSnapshot(tmp.dir);
  bytes = readFileSync(file);
});
afterAll(() => tmp.cleanup());

const write = (name: string, data: Uint8Array | string): string => badFileKit(tmp.dir, bytes).write(name, data);
const variant = (change: (j: SnapshotJson) => void): Buffer => badFileKit(tmp.dir, bytes).variant(change);

function bytesOf(a: Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Typed arrays compared as bytes: toEqual walks them element by element, far too slowly. */
function expectSameResult(raw: RawSnapshot, direct: RawSnapshot): void {
  expect(raw.nodes.length).toBe(direct.nodes.length);
  expect(bytesOf(raw.nodes).equals(bytesOf(direct.nodes))).toBe(true);
  expect(bytesOf(raw.edges).equals(bytesOf(direct.edges))).toBe(true);
  expect(bytesOf(raw.locations).equals(bytesOf(direct.locations))).toBe(true);
  expect(raw.strings.toArray()).toEqual(direct.strings.toArray());
}

/** The one-line message of the exit-2 error readSnapshotFile rejects with. */
async function failure(path: string): Promise<string> {
  try {
    await readSnapshotFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(MemprofError);
    expect((err as MemprofError).exitCode).toBe(2);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(path);
    return message;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('readSnapshotFile', () => {
  it('streams a file into the same result as parsing its bytes, reporting progress to the end', async () => {
    const seen: Array<[number, number]> = [];
    const raw = await readSnapshotFile(file, { onProgress: (read, total) => seen.push([read, total]) });
    const direct = parseSnapshot(bytes);
    expectSameResult(raw, direct);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toEqual([bytes.length, bytes.length]);
  });

  it('gunzips by content, whatever the file is called', async () => {
    const gz = gzipSync(bytes);
    const direct = parseSnapshot(bytes);
    for (const name of ['snap.heapsnapshot.gz', 'snap-gz-without-extension.heapsnapshot']) {
      const seen: number[] = [];
      const raw = await readSnapshotFile(write(name, gz), { onProgress: (read) => seen.push(read) });
      expectSameResult(raw, direct);
      expect(seen[seen.length - 1]).toBe(gz.length);
    }
  });

  describe('bad input: one line naming the file and what is wrong, exit code 2', () => {
    it('missing file, directory, empty file', async () => {
      expect(await failure(join(tmp.dir, 'nope.heapsnapshot'))).toMatch(/nope\.heapsnapshot: no such file/);
      const dir = join(tmp.dir, 'a-directory.heapsnapshot');
      mkdirSync(dir);
      expect(await failure(dir)).toMatch(/is a directory, not a heap snapshot file/);
      expect(await failure(write('empty.heapsnapshot', ''))).toMatch(/is empty \(0 bytes\)/);
    });

    it('truncated gzip, corrupt gzip, gzip of nothing', async () => {
      const gz = gzipSync(bytes);
      expect(await failure(write('cut.heapsnapshot.gz', gz.subarray(0, Math.floor(gz.length / 2))))).toMatch(
        /: truncated gzip data: the compressed stream ends early/,
      );
      const corrupt = Buffer.from(gz);
      for (let i = 100; i < 400; i++) corrupt[i] ^= 0x5a;
      expect(await failure(write('corrupt.heapsnapshot.gz', corrupt))).toMatch(/: corrupt gzip data \(/);
      expect(await failure(write('nothing.heapsnapshot.gz', gzipSync(Buffer.alloc(0))))).toMatch(/empty input/);
    });

    it('truncated JSON, plain and gzipped', async () => {
      const cut = bytes.subarray(0, bytes.indexOf('"edges"') + 1234);
      expect(await failure(write('cut.heapsnapshot', cut))).toMatch(/: truncated heap snapshot: the data ends at byte \d+, inside the "edges" section/);
      expect(await failure(write('cut-json.heapsnapshot.gz', gzipSync(cut)))).toMatch(/\(decompressed\): truncated heap snapshot/);
    });

    it('random bytes and JSON that is not a heap snapshot', async () => {
      const rnd = prng(3);
      const noise = Buffer.from(Array.from({ length: 100_000 }, () => 0x80 + Math.floor(rnd() * 128)));
      expect(await failure(write('noise.heapsnapshot', noise))).toMatch(/not a heap snapshot: expected '\{' at the start of the JSON, found byte 0x[89a-f][0-9a-f] \(at byte 0\)/);
      expect(await failure(write('package.json', '{"name":"x","dependencies":{"a":"1"}}'))).toMatch(/not a V8 heap snapshot/);
    });

    it('arrays shorter than declared, to_node out of range or misaligned, edge_count sum mismatch', async () => {
      const to = 2;
      const cases: Array<[string, Buffer, RegExp]> = [
        ['short.heapsnapshot', variant((j) => j.edges.splice(-6)), /the edges array is short/],
        ['to-out.heapsnapshot', variant((j) => (j.edges[to] = j.nodes.length + 7)), /edge #0 has to_node \d+, outside the \d+ nodes/],
        ['to-misaligned.heapsnapshot', variant((j) => (j.edges[to] = 3)), /edge #0 has to_node 3, not at the start of a node/],
        ['edge-sum.heapsnapshot', variant((j) => (j.nodes[4] += 2)), /edge_count fields add up to \d+ edges, but the edges section holds \d+/],
      ];
      for (const [name, data, pattern] of cases) {
        const message = await failure(write(name, data));
        expect(message).toMatch(pattern);
      }
      await expect(readSnapshotFile(join(tmp.dir, 'to-out.heapsnapshot'))).rejects.toBeInstanceOf(SnapshotFormatError);
    });
  });
});
