import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprof } from '../helpers.js';
import { memprofAsync, startFixture, tempDir, type Fixture } from './helpers.js';

/** 10 sessions, 3 tool calls/s each for a 3 s hold: enough calls for a p99 and its noise. */
const SCENARIO = ['--ramp', '10', '--msg-rate', '3', '--hold', '3s', '--snapshots', '0', '--interval', '500ms', '--no-warmup'];
/**
 * The slower server answers every tool call this late: well beyond the p99 a shared, busy machine
 * gives the same server (hundreds of ms when several profile runs share two cores).
 */
const DELAY_MS = 1500;

async function profileRun(fixtures: Fixture[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const fx = await startFixture('clean', { env });
  fixtures.push(fx);
  const out = tempDir();
  const m = memprofAsync(['profile', '--target', fx.wsUrl, '--mcp', fx.mcpUrl, ...SCENARIO, '--out', out]);
  const done = await m.done;
  expect([0, 1], m.stderr()).toContain(done.code);
  return path.join(out, 'report.json');
}

describe('check --baseline on the load figures', () => {
  const fixtures: Fixture[] = [];
  afterAll(async () => {
    for (const f of fixtures) await f.target.stop(2000);
  });

  it('passes a second run of the same server and flags a slower one, with the before/after table', async () => {
    // The three runs at once: the baseline, the same server again, and the slower server share the
    // machine's conditions, so what differs between them is the server.
    const [baseline, same, slower] = await Promise.all([profileRun(fixtures), profileRun(fixtures), profileRun(fixtures, { DELAY_MS: String(DELAY_MS) })]);
    const dir = path.dirname(same);
    const config = path.join(dir, 'gate.json');
    // Throughput and latency on a shared machine move by tens of % between runs: the tolerances
    // say how much is acceptable, the runs' own noise (load.stdErr) decides the rest.
    writeFileSync(
      config,
      JSON.stringify({
        checks: { 'load.errors': '== 0' },
        // A p99 of ~90 calls is nearly their maximum: on a shared CI machine it moves by more than 50 %
        // between runs of one server; the slower server's is 50× the baseline's.
        baseline: { tolerances: { 'load.latencyMs.p99': '200%', 'load.connectPerSec': '50%', 'load.msgPerSec': '50%' } },
      }),
    );
    const md = path.join(dir, 'summary.md');
    const junit = path.join(dir, 'junit.xml');
    const ok = memprof(['check', same, '--baseline', baseline, '--config', config, '--markdown', md, '--junit', junit]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    for (const figure of ['load.msgPerSec', 'load.connectPerSec', 'load.latencyMs.p99']) expect(ok.stdout).toContain(`${figure} vs baseline`);
    const table = readFileSync(md, 'utf8');
    expect(table).toContain('#### Against the baseline');
    expect(table).toMatch(/\| `load\.latencyMs\.p99` \| [\d.]+ ms \| [\d.]+ ms \| [+-][\d.]+% \|/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase classname="memprof\.baseline" name="load\.latencyMs\.p99 vs baseline" time="0">\s*<system-out>baseline [\d.]+ ms -&gt; this run [\d.]+ ms/);

    const slow = JSON.parse(readFileSync(slower, 'utf8')) as Report;
    expect(slow.load!.latencyMs.p50!).toBeGreaterThanOrEqual(DELAY_MS);
    expect(slow.load!.stdErr!.latencyP99Ms).not.toBeNull();
    const bad = memprof(['check', slower, '--baseline', baseline, '--config', config, '--json']);
    expect(bad.status, bad.stderr).toBe(1);
    const rows = (JSON.parse(bad.stdout) as { results: Report['checks'] }).results;
    const p99 = rows.find((r) => r.id === 'load.latencyMs.p99 vs baseline')!;
    expect(p99.status).toBe('fail');
    expect(p99.reason).toMatch(/^regressed: .* more than 200% higher/);
    expect(p99.stdErr).toBeGreaterThan(0);
  });
});
