import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Objects whose strings exercise every escape V8 writes: quotes, backslashes, control
 * characters, non-ASCII, emoji (astral, so surrogate pairs), lone surrogates and long strings.
 */
export const TRICKY_STRINGS = [
  'plain ascii',
  'quote " and backslash \\ and slash /',
  'newline\nreturn\rtab\tbell\u0007nul\u0000end',
  'caf\u00e9 na\u00efve \u00fcber',
  'emoji \u{1F600}\u{1F680} and CJK \u4e2d\u6587',
  'lone high \ud800 and lone low \udc00',
  'x'.repeat(70_000) + '\u00e9',
];

const CHILD_CODE = `
const tricky = ${JSON.stringify(TRICKY_STRINGS)};
class Session { constructor(id) { this.id = id; this.label = 'session-' + id + ' \\u2603'; this.buf = new Array(8).fill(id); } }
globalThis.keep = { tricky, sessions: new Map(), list: [] };
for (let i = 0; i < 500; i++) globalThis.keep.sessions.set('s' + i, new Session(i));
for (let i = 0; i < 200; i++) globalThis.keep.list.push({ n: i, s: tricky[i % tricky.length] + i });
require('v8').writeHeapSnapshot(process.argv[1]);
`;

/** Writes a heap snapshot of a real Node process that holds the objects above; returns its path. */
export function writeRealSnapshot(dir: string, name = 'real.heapsnapshot'): string {
  const file = join(dir, name);
  const r = spawnSync(process.execPath, ['-e', CHILD_CODE, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`snapshot child failed: ${r.stderr}`);
  return file;
}

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'memprof-parser-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SnapshotJson {
  snapshot: {
    meta: Record<string, unknown> & { node_fields: string[]; edge_fields: string[] };
    node_count: number;
    edge_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
  [section: string]: unknown;
}

export function readJson(file: string): SnapshotJson {
  return JSON.parse(readFileSync(file, 'utf8')) as SnapshotJson;
}

/** A deterministic PRNG so chunk sizes are random but reproducible. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes bad-input files next to a real snapshot: raw bytes, or the real snapshot's JSON with one change. */
export function badFileKit(dir: string, realBytes: Buffer): {
  write: (name: string, data: Uint8Array | string) => string;
  variant: (change: (j: SnapshotJson) => void) => Buffer;
} {
  return {
    write(name, data) {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    variant(change) {
      const json = JSON.parse(realBytes.toString('utf8')) as SnapshotJson;
      change(json);
      return Buffer.from(JSON.stringify(json));
    },
  };
}
