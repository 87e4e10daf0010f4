import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSnapshots } from '../../src/profile/snapshot-analysis.js';
import { emptyRecording, type Recording, type SnapshotRecord } from '../../src/profile/recording.js';
import type { LeakFigures } from '../../src/model/report.js';
import { ROOT } from '../helpers.js';

/**
 * The session-aware leak method on a real HTTP server with sessions that drives itself
 * (fixtures/heap/session-patterns.mjs) and writes the run's snapshots at the moments memprof takes
 * them: 'baseline' after a warm-up, 'steady-start', 'steady-mid', 'steady-end' at a constant
 * number of sessions with no call in flight, 'final' after every session closed. The snapshots go
 * through the same orchestration as a run's (analyzeSnapshots).
 */
type Run = 'records' | 'numbers' | 'lru' | 'pool' | 'ring' | 'archive' | 'archive-churn' | 'archive+records' | 'listener' | 'lowrate' | 'clean-churn';

interface Outcome {
  rec: Recording;
  shots: SnapshotRecord[];
  /** What the fixture measured: heap one call keeps (probe session), sessions, archived sessions. */
  known: { bytesPerCall: number; sessions: number; archived: number };
  windowRequests: number;
}

let dir: string;
const outcomes = new Map<Run, Outcome>();

async function run(name: Run): Promise<void> {
  const [mode, churn] = name.split('-');
  const out = join(dir, name);
  mkdirSync(out);
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'fixtures/heap/session-patterns.mjs'), mode, out, ...(churn ? [churn] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let stderr = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`session-patterns ${name} exited ${code}: ${stderr}`));
      else resolve(text);
    });
  });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const shots: SnapshotRecord[] = lines.slice(0, -1).map((s) => ({ path: s.path, label: s.role, t: s.t, role: s.role, requests: s.requests, connections: s.connections }));
  const rec = emptyRecording(Date.now());
  rec.snapshots = shots;
  const load = { url: 'http://127.0.0.1/mcp', ramp: [20], msgRate: 1, lifetimeMs: 5000 };
  await analyzeSnapshots(rec, { snapshots: shots.length, load, connectionClasses: ['Session'] }, () => {});
  const at = (role: string) => shots.find((s) => s.role === role)!;
  outcomes.set(name, { rec, shots, known: lines.at(-1), windowRequests: at('steady-end').requests! - at('steady-start').requests! });
}

const describeGroups = (leaks: LeakFigures[] | null | undefined) => JSON.stringify((leaks ?? []).map((l) => [l.kind, l.name, l.count, l.bytesPerRequest, l.path.join(' > ')]));

function leaksOf(name: Run): LeakFigures[] {
  const { rec } = outcomes.get(name)!;
  expect(rec.leaks, JSON.stringify(rec.notes)).not.toBeNull();
  return rec.leaks!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-session-leaks-'));
  const runs: Run[] = ['records', 'numbers', 'lru', 'pool', 'ring', 'archive', 'archive-churn', 'archive+records', 'listener', 'lowrate', 'clean-churn'];
  // Two at a time: the machine has two cores.
  for (let i = 0; i < runs.length; i += 2) await Promise.all(runs.slice(i, i + 2).map(run));
}, 400_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('leaks that grow with live sessions', () => {
  it("finds each request's record kept in its session's history, with its rate per request", () => {
    const leaks = leaksOf('records');
    const { known, windowRequests, shots } = outcomes.get('records')!;
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.name).toBe('RequestRecord');
    expect(l.kind).toBe('grows-with-live-sessions');
    expect(l.path.join(' > ')).toMatch(/sessions > Map > table > \(array\) > \[\d+\] > Session > history > Array > \[\d+\] > RequestRecord$/);
    // One record per call, every call of the window still held at its end.
    expect(l.count).toBe(windowRequests);
    expect(l.objectsPerRequest).toBeCloseTo(1, 5);
    // Bytes per call within 10 % of what the program measures a call to keep.
    expect(Math.abs(l.bytesPerRequest! / known.bytesPerCall - 1), `${l.bytesPerRequest} B/call measured, ${known.bytesPerCall} known`).toBeLessThan(0.1);
    const start = shots.find((s) => s.role === 'steady-start')!;
    const end = shots.find((s) => s.role === 'steady-end')!;
    const hours = (end.t - start.t) / 3_600_000;
    expect(l.bytesPerHour!).toBeCloseTo((l.bytesPerRequest! * windowRequests) / hours, 0);
    expect(l.objectsPerHour!).toBeCloseTo(windowRequests / hours, 0);
  });

  it('finds an array of numbers that grows in each session, though it gains no objects (its store grows)', () => {
    const leaks = leaksOf('numbers');
    const { known } = outcomes.get('numbers')!;
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.kind).toBe('grows-with-live-sessions');
    expect(l.name).toBe('Array');
    expect(l.path.join(' > ')).toMatch(/Session > latencies > Array$/);
    expect(l.count).toBe(known.sessions);
    expect(l.objectsPerRequest).toBe(0);
    // A double is 8 bytes; a store grows ahead of its length (about half again), never behind it.
    expect(l.bytesPerRequest!).toBeGreaterThan(8 * 0.75);
    expect(l.bytesPerRequest!).toBeLessThan(8 * 2);
  });
});

describe('bounded memory is not a leak', () => {
  // Each group is seen, and set aside on its container's sizes: the rule does the work, not a filter.
  it.each([
    ['lru', '{reply}'],
    ['pool', '{scratch, tag}'],
    ['ring', '{entry}'],
  ] as const)('%s: nothing reported, the group set aside as bounded', (name, group) => {
    const leaks = leaksOf(name);
    expect(leaks, describeGroups(leaks)).toEqual([]);
    const note = outcomes.get(name)!.rec.notes['leaks.bounded'];
    expect(note).toContain(group);
    expect(note).toMatch(/entries (\d+) → \1 → \1/);
  });

  it('a server with churn that keeps only the last reply per session: nothing', () => {
    expect(leaksOf('clean-churn'), describeGroups(leaksOf('clean-churn'))).toEqual([]);
  });
});

describe('leaks that outlive sessions', () => {
  it('the archive of closed sessions, though no session closed during the window', () => {
    const leaks = leaksOf('archive');
    const { known } = outcomes.get('archive')!;
    expect(known.archived).toBe(2 * known.sessions);
    const [l] = leaks;
    expect(l, describeGroups(leaks)).toBeDefined();
    expect(l.name).toBe('Session');
    expect(l.kind).toBe('outlives-sessions');
    expect(l.path.join(' > ')).toMatch(/sessionArchive > Array > \[\d+\] > \{[^}]*session[^}]*\} > session > Session$/);
    // The measured sessions; the warm-up's were archived before the baseline.
    expect(l.count).toBe(known.sessions);
    // It did not grow while the sessions lived: nothing per hour or per call over the window.
    expect(l.bytesPerHour).toBe(0);
    expect(l.objectsPerRequest).toBe(0);
  });

  it('the archive again, with sessions replaced during the window: it grows across it', () => {
    const leaks = leaksOf('archive-churn');
    const archived = leaks.filter((l) => l.path.includes('sessionArchive'));
    expect(archived.length, describeGroups(leaks)).toBeGreaterThan(0);
    for (const l of archived) expect(l.kind).toBe('outlives-sessions');
    expect(archived.some((l) => l.bytesPerHour! > 0)).toBe(true);
    expect(leaks.filter((l) => !l.path.includes('sessionArchive')), describeGroups(leaks)).toEqual([]);
  });

  it("records kept in each session's history while it lives, the session archived when it closes: one group, with the records' rate", () => {
    const leaks = leaksOf('archive+records');
    const { known, windowRequests } = outcomes.get('archive+records')!;
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.kind).toBe('outlives-sessions');
    expect(l.name).toBe('Session');
    expect(l.path.join(' > ')).toMatch(/sessionArchive > Array > \[\d+\] > \{[^}]*session[^}]*\} > session > Session$/);
    // The records the window added inside the archived sessions are what the group gained.
    expect(l.objectsPerRequest! * windowRequests).toBeCloseTo(windowRequests, 6);
    expect(Math.abs(l.bytesPerRequest! / known.bytesPerCall - 1), `${l.bytesPerRequest} B/call measured, ${known.bytesPerCall} known`).toBeLessThan(0.1);
  });

  it('a listener per call on a module-level emitter: one group, found over the window and after the close', () => {
    const leaks = leaksOf('listener');
    const listeners = leaks.filter((l) => l.path.at(-1) === '(anonymous function)');
    expect(listeners, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.path.join(' > '), describeGroups(leaks)).toMatch(/bus > EventEmitter > _events > Object > reload > Array > \[\d+\] > \(anonymous function\)$/);
    expect(l.kind).toBe('outlives-sessions');
    expect(l.objectsPerRequest).toBeCloseTo(1, 5);
    // The listeners also keep each session and its last reply alive: the rest hangs from the same array.
    for (const other of leaks.slice(1)) {
      expect(other.kind).toBe('outlives-sessions');
      expect(other.path.join(' > ')).toContain('bus > EventEmitter > _events > Object > reload > Array');
    }
  });

  it('a leak at a low rate: one entry every 25 calls, found, with its rate', () => {
    const leaks = leaksOf('lowrate');
    expect(leaks, describeGroups(leaks)).toHaveLength(1);
    const [l] = leaks;
    expect(l.kind).toBe('outlives-sessions');
    expect(l.path.join(' > ')).toMatch(/slowLog > Array > \[\d+\] > \{[^}]*entry[^}]*\}$/);
    expect(Math.abs(l.objectsPerRequest! * 25 - 1)).toBeLessThan(0.1);
  });
});
