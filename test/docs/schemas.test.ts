import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_JSON } from '../../src/check/config.js';
import { memprofAsync, readJsonl, tempDir, type Running } from '../e2e/helpers.js';
import { startFixture, type RunningFixture } from '../fixtures/fixture-process.js';
import { ROOT, memprof } from '../helpers.js';
import { schemaErrors, type SchemaKey } from './validate.js';

/**
 * The JSON Schemas in schema/ against what memprof really prints and writes: the built CLI on real
 * snapshots of a real Node process, a real MCP server, and real `run`s. The schemas forbid unknown
 * properties, so a field the code emits without a documented type fails here.
 */

const FIXTURE = path.join(ROOT, 'fixtures/mcp-server.mjs');
const REPORTS = path.join(ROOT, 'fixtures/reports');
let dir: string;
let snaps: { baseline: string; target: string; final: string };
let driven: Running;
let timed: Running;

/** A Node program that keeps creating `Item`s: a timed run sees classes grow in every snapshot and counts Items as connections. */
const GROWING = "class Item { constructor(i) { this.i = i; this.s = 'x'.repeat(200) + i; } } const kept = []; setInterval(() => { for (let i = 0; i < 200; i++) kept.push(new Item(i)); }, 50);";

function valid(key: SchemaKey, data: unknown): void {
  expect(schemaErrors(key, data)).toEqual([]);
}

function json(args: string[], status = 0): unknown {
  const r = memprof(args);
  expect(r.status, r.stderr).toBe(status);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  dir = tempDir('memprof-schemas-');
  // Both runs go on in the background while the snapshot tests run.
  driven = memprofAsync([
    'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '5,10', '--msg-rate', '2', '--hold', '6s',
    '--out', path.join(dir, 'driven'), '--', process.execPath, FIXTURE, '--mode', 'pooled',
  ]);
  timed = memprofAsync([
    'run', '--duration', '4s', '--interval', '250ms', '--snapshots', '3', '--connection-class', 'Item',
    '--out', path.join(dir, 'timed'), '--', process.execPath, '-e', GROWING,
  ]);
  // Three snapshots of one process that leaks (a listener per request).
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(ROOT, 'fixtures/heap/leak-patterns.mjs'), 'listener', dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  const [baseline, target, final] = ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`));
  snaps = { baseline, target, final };
}, 180_000);

afterAll(async () => {
  // Normally both ended already; after an early failure SIGTERM lets memprof stop what it started.
  for (const r of [driven, timed]) r?.kill('SIGTERM');
  await Promise.all([driven?.done, timed?.done]);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('schemas of the --json outputs, on real outputs', () => {
  it('inspect --json', () => {
    const out = json(['inspect', snaps.final, '--json']) as { classes: Array<{ location?: unknown }> };
    valid('inspect', out);
    // Rows with and without a location both occur, so both shapes were checked.
    expect(out.classes.some((c) => c.location)).toBe(true);
    expect(out.classes.some((c) => !c.location)).toBe(true);
  });

  it('diff --json', () => {
    const out = json(['diff', snaps.baseline, snaps.final, '--json']) as { classes: unknown[]; sameProcess: boolean };
    expect(out.sameProcess).toBe(true);
    expect(out.classes.length).toBeGreaterThan(0);
    valid('diff', out);
  });

  it('leaks --json, filtered and --all', () => {
    const out = json(['leaks', snaps.baseline, snaps.target, snaps.final, '--json']) as { leaks: unknown[] };
    expect(out.leaks.length).toBeGreaterThan(0);
    valid('leaks', out);
    valid('leaks', json(['leaks', snaps.baseline, snaps.target, snaps.final, '--json', '--all']));
  });

  it('load --json against the fixture MCP server', async () => {
    let f: RunningFixture | undefined;
    try {
      f = await startFixture('clean');
      const out = json(['load', '--mcp', f.url, '--ramp', '3,6', '--msg-rate', '5', '--hold', '400ms', '--sse', '--json']) as { requests: number };
      expect(out.requests).toBeGreaterThan(0);
      valid('load', out);
    } finally {
      await f?.stop();
    }
  });

  it('check --json and plan --json on the example reports; the example reports and config themselves', () => {
    const config = path.join(REPORTS, 'memprof.config.json');
    const report = path.join(REPORTS, 'report.json');
    const baseline = path.join(REPORTS, 'baseline.json');
    const withBaseline = memprof(['check', report, '--config', config, '--baseline', baseline, '--json']);
    const out = JSON.parse(withBaseline.stdout) as { results: Array<{ comparison?: string }> };
    expect(out.results.some((r) => r.comparison === 'baseline')).toBe(true);
    valid('check', out);
    valid('check', JSON.parse(memprof(['check', report, '--json']).stdout));
    valid('plan', json(['plan', report, '--ram', '16GiB', '--price', '0.5', '--connections', '1000000', '--json']));
    valid('plan', json(['plan', report, '--ram', '16GiB', '--json']));
    for (const file of [report, baseline]) valid('report', JSON.parse(readFileSync(file, 'utf8')));
    valid('config', JSON.parse(readFileSync(config, 'utf8')));
    valid('config', DEFAULT_CONFIG_JSON);
  });
});

describe('schemas of what a run writes', () => {
  it('run --mcp: report.json, samples.jsonl, gc.jsonl, and check --json on it', async () => {
    const { code } = await driven.done;
    expect([0, 1], driven.stderr()).toContain(code);
    const out = path.join(dir, 'driven');
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    // The sections a driven run with a hold and snapshots sets out to measure.
    for (const key of ['connections', 'load', 'leaks', 'notes']) expect(report).toHaveProperty(key);
    expect(report.connections.typicalSession).toBeDefined();
    valid('report', report);
    for (const line of readJsonl(path.join(out, 'samples.jsonl'))) valid('samples', line);
    for (const line of readJsonl(path.join(out, 'gc.jsonl'))) valid('gc', line);
    valid('check', JSON.parse(memprof(['check', path.join(out, 'report.json'), '--json']).stdout));
    expect(readdirSync(out).filter((f) => f.endsWith('.heapsnapshot')).length).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('run --duration with snapshots: connections counted from the heap, growing classes', async () => {
    const { code } = await timed.done;
    expect([0, 1], timed.stderr()).toContain(code);
    const report = JSON.parse(readFileSync(path.join(dir, 'timed', 'report.json'), 'utf8'));
    expect(report.load).toBeUndefined();
    expect(report.connections.steps.length).toBeGreaterThan(0);
    expect(report.growingClasses.map((c: { name: string }) => c.name)).toContain('Item');
    valid('report', report);
    for (const line of readJsonl(path.join(dir, 'timed', 'samples.jsonl'))) valid('samples', line);
  }, 180_000);

  it('a report with a field the schema does not know is rejected', () => {
    const report = JSON.parse(readFileSync(path.join(REPORTS, 'report.json'), 'utf8'));
    report.gc.major.undocumented = 1;
    expect(schemaErrors('report', report)).toEqual([expect.stringMatching(/^report\/gc\/major: must NOT have additional properties 'undocumented'/)]);
  });
});
