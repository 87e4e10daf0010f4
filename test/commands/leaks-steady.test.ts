import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, memprof } from '../helpers.js';

/**
 * `memprof leaks BASELINE TARGET FINAL --steady START,MID` on the snapshots of a real session
 * server (fixtures/heap/session-patterns.mjs): the same three files without --steady report what
 * the classic method reports; with it, a bounded cache is set aside and per-session growth shows.
 */
let dir: string;
const files = new Map<string, Record<string, string>>();

function snapshots(mode: string): Promise<void> {
  const out = join(dir, mode);
  mkdirSync(out);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'fixtures/heap/session-patterns.mjs'), mode, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`session-patterns ${mode} exited ${code}`));
      const shots = text.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l) as { role: string; path: string });
      files.set(mode, Object.fromEntries(shots.map((s) => [s.role, s.path])));
      resolve();
    });
  });
}

const args = (mode: string, steady: boolean): string[] => {
  const f = files.get(mode)!;
  return ['leaks', f.baseline, f['steady-end'], f.final, ...(steady ? ['--steady', `${f['steady-start']},${f['steady-mid']}`] : [])];
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-leaks-steady-'));
  await Promise.all([snapshots('lru'), snapshots('records')]);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('memprof leaks --steady', () => {
  it('sets a cache at its bound aside, which the three snapshots alone report', () => {
    const classic = JSON.parse(memprof([...args('lru', false), '--json']).stdout);
    expect(classic.leaks.map((l: { name: string }) => l.name)).toEqual(['{reply}']);
    const r = memprof([...args('lru', true), '--json', '--fail-on-leak']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.schema).toBe('memprof/leaks@1');
    expect(out.leaks).toEqual([]);
    expect(out.bounded.map((b: { name: string }) => b.name)).toEqual(['{reply}']);
    expect(out.bounded[0].evidence).toMatch(/entries (\d+) → \1 → \1/);
    const text = memprof(args('lru', true)).stdout;
    expect(text).toContain('no leak found');
    expect(text).toContain('bounded, not reported: 1 group');
  });

  it("reports each session's growing request log, which the three snapshots alone cannot see", () => {
    expect(JSON.parse(memprof([...args('records', false), '--json']).stdout).leaks).toEqual([]);
    const r = memprof([...args('records', true), '--json', '--fail-on-leak']);
    expect(r.status).toBe(1);
    const [l] = JSON.parse(r.stdout).leaks;
    expect(l.name).toBe('RequestRecord');
    expect(l.kind).toBe('grows-with-live-sessions');
    expect(l.path.join(' > ')).toMatch(/Session > history > Array > \[\d+\] > RequestRecord$/);
    expect(memprof(args('records', true)).stdout).toContain('grows-with-live-sessions: entries');
  });

  it('refuses --steady with more than two files, or with --all, in one line (exit 2)', () => {
    const f = files.get('lru')!;
    for (const bad of [
      [...args('lru', false), '--steady', `${f['steady-start']},${f['steady-mid']},${f['steady-end']}`],
      [...args('lru', true), '--all'],
    ]) {
      const r = memprof(bad);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--steady');
    }
  });
});
