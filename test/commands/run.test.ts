import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { livingGroupMembers } from '../../src/profile/target-process.js';
import { memprof, ROOT } from '../helpers.js';
import { alive, FIXTURE, memprofAsync, readJsonl, tempDir } from '../e2e/helpers.js';

/** Fields memprof adds to report.load beyond the contract's. */
interface LoadExtras {
  sessionsOpened: number;
  sessionsClosed: number;
}

describe('memprof run', () => {
  it('starts CMD with an inspector, finds the MCP port from its output, profiles it and stops it', () => {
    const out = tempDir();
    const r = memprof(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '5,10', '--out', out, '--', process.execPath, FIXTURE, '--mode', 'pooled']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.target.command).toMatch(/--inspect=127\.0\.0\.1:0 .*mcp-server\.mjs --mode pooled/);
    expect(report.connections!.steps.map((s) => s.connections)).toEqual([5, 10]);
    expect(report.pools.map((p) => p.name)).toEqual(['session-state']);
    expect((report.load as unknown as LoadExtras).sessionsOpened).toBe(10);
    const log = readFileSync(path.join(out, 'target.log'), 'utf8');
    expect(log).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+/);
    expect(log).toMatch(/MCP server listening on http:\/\/127\.0\.0\.1:\d+\/mcp/);
    // Nothing left behind: neither the server nor anything in its process group.
    expect(alive(report.target.pid!)).toBe(false);
    expect(livingGroupMembers(report.target.pid!)).toEqual([]);
    expect(r.stdout).toMatch(/Memory per connection/);
  });

  it('--warmup opens and closes the top step before measuring; --idle-hold ends the hold at rest with forced-GC samples', () => {
    const out = tempDir();
    const r = memprof([
      'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '5,10', '--msg-rate', '2', '--warmup', '--hold', '1500ms', '--idle-hold', '2s',
      '--interval', '250ms', '--out', out, '--', process.execPath, FIXTURE, '--mode', 'pooled',
    ]);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.notes?.warmup).toMatch(/^before measuring \(warm-up\): 10 sessions opened and closed and \d+ tool calls sent/);
    // The pool saw the warm-up: its 10 states were created then, and the measured ramp reused them.
    const pool = report.pools[0];
    expect(pool.windowed).toBe(true);
    expect(pool.created).toBe(0);
    expect(pool.reused).toBe(10);
    expect(pool.total!.created).toBe(10);
    expect(pool.total!.reused).toBe(10);
    // Only the measured load is in report.load.
    expect((report.load as unknown as LoadExtras).sessionsOpened).toBe(10);
    expect(r.stdout).toMatch(/warm-up: before measuring/);

    // Steady samples: forced-GC ones are the still points of the settled window and of the quiet
    // tail, all taken with the load still; the periodic ones amid the traffic force nothing.
    const steady = readJsonl<{ t: number; phase?: string; afterGc?: boolean; quiesced?: boolean; window?: boolean }>(path.join(out, 'samples.jsonl')).filter(
      (s) => s.phase === 'steady',
    );
    const forced = steady.filter((s) => s.afterGc);
    expect(forced.length).toBeGreaterThanOrEqual(4);
    expect(forced.every((s) => s.quiesced)).toBe(true);
    expect(steady.filter((s) => !s.afterGc).every((s) => !s.quiesced)).toBe(true);
    expect(report.growth.steadyFit!.method).toBe('afterGc');
    expect(report.growth.steadyFit!.quiesced).toBe(true);
    expect(r.stderr).toMatch(/with no traffic \(--idle-hold\)/);
  });

  it('--warmup on a server without pools says nothing about pools', () => {
    const out = tempDir();
    const r = memprof(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '3', '--warmup', '--out', out, '--', process.execPath, FIXTURE, '--mode', 'clean']);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.notes?.warmup).toMatch(/3 sessions opened and closed and 0 tool calls sent/);
    expect(report.notes?.pools).toBeUndefined();
    expect(r.stdout).toMatch(/Pools[^\n]*\n-+\n {2}none published by the target/);
  });

  it('refuses --warmup without --mcp and --idle-hold without --hold', () => {
    const a = memprof(['run', '--warmup', '--duration', '1s', '--', process.execPath, '-e', '0']);
    expect(a.status).toBe(2);
    expect(a.stderr.trim()).toMatch(/--warmup .*needs --mcp URL/);
    const b = memprof(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--idle-hold', '2s', '--', process.execPath, '-e', '0']);
    expect(b.status).toBe(2);
    expect(b.stderr.trim()).toMatch(/--idle-hold needs --hold/);
  });

  it('exits 2 with one line pointing at target.log when CMD exits before opening the inspector', () => {
    const out = tempDir();
    const started = Date.now();
    const r = memprof(['run', '--out', out, '--', 'sh', '-c', 'echo cannot start >&2; exit 3']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/exited with code 3 .*target\.log/);
    expect(readFileSync(path.join(out, 'target.log'), 'utf8')).toContain('cannot start');
    expect(existsSync(path.join(out, 'report.json'))).toBe(false);
  });

  it('exits 2 when the MCP URL never accepts connections, and stops CMD', () => {
    const out = tempDir();
    const r = memprof(['run', '--mcp', 'http://127.0.0.1:1/mcp', '--startup-timeout', '1500ms', '--out', out, '--', process.execPath, '-e', 'console.log(process.pid); setInterval(() => {}, 1000)']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/did not accept connections within 2 s .*target\.log/);
    const pid = Number(/^(\d+)$/m.exec(readFileSync(path.join(out, 'target.log'), 'utf8'))![1]);
    expect(alive(pid)).toBe(false);
  });

  it('Ctrl-C during the load: closes the sessions, writes report.json, stops CMD, exits 130', async () => {
    const out = tempDir();
    const m = memprofAsync(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '10', '--hold', '60s', '--interval', '250ms', '--out', out, '--', process.execPath, FIXTURE, '--mode', 'clean']);
    await m.waitForStderr(/holding 10 sessions/, 60_000);
    await new Promise((r) => setTimeout(r, 800));
    const interruptedAt = Date.now();
    m.kill('SIGINT');
    const done = await m.done;
    expect(done.code, m.stderr()).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(15_000);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.notes?.run).toMatch(/interrupted/);
    expect(report.connections!.steps.map((s) => s.connections)).toEqual([10]);
    expect((report.load as unknown as LoadExtras).sessionsClosed).toBe(10);
    expect(report.durationSec).toBeGreaterThan(0.5);
    expect(alive(report.target.pid!)).toBe(false);
  });

  it('opens the inspector through NODE_OPTIONS for a wrapper, profiles the node it starts, and stops both', () => {
    const out = tempDir();
    // sh stays the parent (no exec): the server is a grandchild of memprof, in the same process group.
    const script = `'${process.execPath}' '${FIXTURE}' --mode clean; echo wrapper-done`;
    const r = memprof(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '3', '--out', out, '--', 'sh', '-c', script]);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.target.command).toMatch(/mcp-server\.mjs --mode clean/);
    const shPid = Number(/\(pid (\d+)\)/.exec(r.stderr)![1]);
    expect(report.target.pid).not.toBe(shPid);
    expect(alive(report.target.pid!)).toBe(false);
    expect(livingGroupMembers(shPid)).toEqual([]);
  });

  it('a second Ctrl-C exits at once and still stops CMD', async () => {
    const out = tempDir();
    // A pool expression that keeps the target busy for 20 s makes the orderly stop slow for sure.
    const slowPools = '(() => { const end = Date.now() + 20000; while (Date.now() < end); return {}; })()';
    const m = memprofAsync(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '5', '--hold', '60s', '--pool-expr', slowPools, '--out', out, '--', process.execPath, FIXTURE, '--mode', 'clean']);
    await m.waitForStderr(/holding 5 sessions/, 60_000);
    const pid = Number(/\(pid (\d+)\)/.exec(m.stderr())![1]);
    m.kill('SIGINT');
    await m.waitForStderr(/Ctrl-C again to exit at once/, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const secondAt = Date.now();
    m.kill('SIGINT');
    const done = await m.done;
    expect(done.code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(3000);
    expect(m.stderr()).toMatch(/interrupted again/);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid)).toBe(false);
  });
});

describe('memprof run --max-pause', () => {
  it("over the pause budget, forces GCs only at the steps and the window's edges and reads the window from the target's own major GCs", () => {
    const out = tempDir();
    // --gc-global makes every GC of the target a full mark-compact: natural major GCs every few
    // hundred ms, as a big server under load has them; --max-pause 0ms puts every forced GC over budget.
    const r = memprof([
      'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '20,40', '--msg-rate', '5', '--hold', '12s', '--no-warmup', '--snapshots', '0',
      '--max-pause', '0ms', '--out', out, '--', process.execPath, '--gc-global', FIXTURE, '--mode', 'clean',
    ]);
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.notes?.['gc.maxPause']).toMatch(/more than --max-pause 0 ms: \d+ still points were not forced/);
    const fit = report.growth!.steadyFit!;
    expect(fit.method).toBe('afterMajorGc');
    expect(fit.n).toBeGreaterThanOrEqual(5);
    expect(fit.measure).toMatch(/the target's own major GCs/);
    // Forced: the idle baseline, two steps, the window's two edges and the final reading; not one per point.
    expect(report.gc!.forced!.count).toBeLessThanOrEqual(7);
    const gc = readJsonl<{ kind: string; forced?: boolean; heapAfter?: number }>(path.join(out, 'gc.jsonl'));
    const natural = gc.filter((e) => e.kind === 'major' && !e.forced && e.heapAfter !== undefined);
    expect(natural.length).toBeGreaterThanOrEqual(3);
    // heapAfter is the old generation the GC left: in the tens of MB for this server, never 0.
    for (const e of natural) expect(e.heapAfter).toBeGreaterThan(5 * 1024 * 1024);
  });
});

describe('memprof run: still points on a heap whose full GC is expensive', () => {
  it("skips window points rather than let its forced GCs freeze the target more than 5 % of the window, and says so", () => {
    const out = tempDir();
    // 2,000,000 live objects: a full GC of 100–200 ms here, so a point a second would freeze the target 10–20 % of the time.
    const ballast = path.join(ROOT, 'fixtures', 'targets', 'ballast.cjs');
    const r = memprof([
      'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '10,20', '--msg-rate', '2', '--hold', '15s', '--no-warmup', '--snapshots', '0', '--no-sampling',
      '--out', out, '--', process.execPath, '--require', ballast, FIXTURE, '--mode', 'clean',
    ]);
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    const note = report.notes?.['growth.steadyFit.n'];
    expect(note, JSON.stringify(report.notes)).toMatch(/^(\d+) of the window's (\d+) planned still points were skipped: memprof's forced GCs/);
    const [, skipped, planned] = /^(\d+) of the window's (\d+)/.exec(note!)!.map(Number);
    const samples = readJsonl<{ phase: string; window?: boolean; gcMs?: number; t: number }>(path.join(out, 'samples.jsonl')).filter((s) => s.phase === 'steady' && s.window && s.gcMs !== undefined);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(planned - skipped);
    // Growth is still decided (from fewer forced points, or the target's own major GCs), or null with the reason.
    const fit = report.growth!.steadyFit!;
    if (report.growth!.steadyBytesPerHour === null) expect(fit.reason).toBeTruthy();
    else expect(fit.n).toBeGreaterThanOrEqual(3);
    // The window's inner points (its edges are always forced): their GCs at most 5 % of it, give or take the one that crossed the line.
    const spanMs = samples[samples.length - 1].t - samples[0].t;
    const inner = samples.slice(1, -1).map((s) => s.gcMs!);
    const frozen = inner.reduce((sum, ms) => sum + ms, 0);
    expect(frozen - Math.max(0, ...inner)).toBeLessThan(0.05 * spanMs);
  });
});

describe('memprof run --mcp http://127.0.0.1:0/...', () => {
  it('finds the port from the sockets of a server that prints no URL', () => {
    const out = tempDir();
    const r = memprof(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '3', '--no-warmup', '--out', out, '--', process.execPath, FIXTURE, '--mode', 'clean', '--quiet']);
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stderr).toMatch(/with MCP load on http:\/\/127\.0\.0\.1:\d+\/mcp/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.connections!.steps.map((s) => s.connections)).toEqual([3]);
  });
});
