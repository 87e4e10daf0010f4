import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { memprof } from '../helpers.js';
import { startTarget, type TargetProcess } from '../../src/profile/target-process.js';
import { memprofAsync, readJsonl, tempDir } from '../e2e/helpers.js';

// A plain Node process (no MCP) whose heap holds 40 instances of a class named like a connection,
// and that allocates garbage steadily so it has GCs of its own.
const PLAIN = `
class Conn { constructor(i) { this.id = i; this.buf = new Array(100).fill(i); } }
globalThis.conns = Array.from({ length: 40 }, (_, i) => new Conn(i));
setInterval(() => { const junk = []; for (let i = 0; i < 20000; i++) junk.push({ i }); }, 20);
`;

describe('memprof profile (no load)', () => {
  const targets: TargetProcess[] = [];
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.stop(1000);
  });

  async function plainTarget(script = PLAIN): Promise<{ t: TargetProcess; ws: string }> {
    const t = startTarget([process.execPath, '-e', script], { dir: tempDir() });
    targets.push(t);
    return { t, ws: await t.waitForInspector(10_000) };
  }

  it('samples for --duration, records GCs, counts --connection-class instances, writes report.json', async () => {
    const { t, ws } = await plainTarget();
    const out = path.join(tempDir(), 'nested', 'out');
    const r = memprof(['profile', '--target', ws, '--duration', '3s', '--interval', '250ms', '--connection-class', 'Conn', '--out', out]);
    expect(r.stderr).toMatch(/report written/);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.schema).toBe('memprof/report@1');
    expect(report.target.pid).toBe(t.pid);
    expect(report.target.nodeVersion).toBe(process.version);
    expect(report.durationSec).toBeGreaterThanOrEqual(2.5);
    expect(report.durationSec).toBeLessThan(10);

    const samples = readJsonl<{ t: number; heapUsed: number }>(path.join(out, 'samples.jsonl'));
    expect(samples.length).toBeGreaterThanOrEqual(8);
    expect(report.memory.heapUsedBytes.start).toBe(samples[0].heapUsed);
    expect(report.memory.heapUsedBytes.end).toBe(samples[samples.length - 1].heapUsed);
    expect(report.memory.heapUsedBytes.peak).toBe(Math.max(...samples.map((s) => s.heapUsed)));

    // Every GC event in gc.jsonl is in the figures: the target's own in minor/major/..., memprof's in forced.
    const gcs = readJsonl<{ kind: string; forced?: boolean }>(path.join(out, 'gc.jsonl'));
    const own = gcs.filter((g) => !g.forced);
    expect(own.length).toBeGreaterThan(5);
    expect(report.gc.minor.count).toBe(own.filter((g) => g.kind === 'minor').length);
    // Without a natural mark-compact, the major figures come from memprof's own, and say so.
    const ownMajors = own.filter((g) => g.kind === 'major').length;
    const forcedMajors = gcs.filter((g) => g.forced && g.kind === 'major').length;
    expect(report.gc.major).toMatchObject(
      ownMajors > 0 || forcedMajors === 0 ? { count: ownMajors, source: 'natural' } : { count: forcedMajors, source: 'forced' },
    );
    expect(report.gc.forced?.count).toBe(gcs.filter((g) => g.forced).length);

    // Counted from the heap at the start and the end: 40 instances, measured after a forced GC.
    expect(report.connections?.steps.map((s) => s.connections)).toEqual([40, 40]);
    expect(report.connections?.marginalBytesPerConnection).toBeNull();
    expect(report.pools).toEqual([]);
    expect(report.load).toBeUndefined();
    expect(report.leaks).toBeUndefined();
    expect(report.checks.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/Checklist/);
  });

  it('leaves connections out when no instance of the connection classes exists', async () => {
    const { ws } = await plainTarget();
    const out = tempDir();
    const r = memprof(['profile', '--target', ws, '--duration', '1s', '--interval', '250ms', '--out', out]);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.connections).toBeUndefined();
    expect(report.notes?.connections).toMatch(/StreamableHTTPServerTransport/);
  });

  it('takes --snapshots spread over the run, mode 0600, and finds a class that grows as a leak', async () => {
    const leaking = `
      class LeakedRecord { constructor(i) { this.i = i; this.payload = 'x'.repeat(64) + i; } }
      const kept = [];
      setInterval(() => { for (let i = 0; i < 200; i++) kept.push(new LeakedRecord(i)); }, 50);
    `;
    const { ws } = await plainTarget(leaking);
    const out = tempDir();
    const r = memprof(['profile', '--target', ws, '--duration', '3s', '--interval', '500ms', '--snapshots', '3', '--out', out]);
    // The checklist's verdict (0 or 1) is not what this test is about; 2 or 130 would be a failure.
    expect([0, 1], r.stderr).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    const shots = ['snapshot-1', 'snapshot-2', 'snapshot-3'].map((p) => {
      const name = readdirSync(out).find((f) => f.startsWith(p) && f.endsWith('.heapsnapshot'));
      expect(name, `${p} in ${out}`).toBeDefined();
      return path.join(out, name!);
    });
    for (const f of shots) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(report.leaks, JSON.stringify(report.notes)).not.toBeNull();
    const leak = report.leaks!.find((l) => l.name === 'LeakedRecord');
    expect(leak, JSON.stringify(report.leaks?.map((l) => l.name))).toBeDefined();
    expect(leak!.count).toBeGreaterThan(100);
    expect(leak!.path.join(' ')).toMatch(/kept/);
    // The second signal: a class that grows from every snapshot to the next.
    const growing = (report as Report & { growingClasses?: Array<{ name: string; counts: number[] }> }).growingClasses;
    const rec = growing?.find((g) => g.name === 'LeakedRecord');
    expect(rec, JSON.stringify(growing?.map((g) => g.name))).toBeDefined();
    expect(rec!.counts[0]).toBeLessThan(rec!.counts[1]);
    expect(rec!.counts[1]).toBeLessThan(rec!.counts[2]);
  });

  it('fails in under 5 s with one line when the target is unreachable', () => {
    const out = tempDir();
    const started = Date.now();
    const r = memprof(['profile', '--target', '127.0.0.1:1', '--duration', '1s', '--out', out]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(out, 'report.json'))).toBe(false);
  });

  it('exits 2 with the load generator’s reason when the --mcp server cannot be reached', async () => {
    const { ws } = await plainTarget();
    const out = tempDir();
    const r = memprof(['profile', '--target', ws, '--mcp', 'http://127.0.0.1:1/mcp', '--ramp', '5', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/cannot open an MCP session at http:\/\/127\.0\.0\.1:1\/mcp.*report\.json/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.notes?.run).toMatch(/stopped by an error/);
  });

  it('rejects load flags without --mcp, and --snapshots without a duration', () => {
    const r1 = memprof(['profile', '--target', '127.0.0.1:9', '--ramp', '10,20', '--out', tempDir()]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/--ramp .*needs --mcp/);
    const r2 = memprof(['profile', '--target', '127.0.0.1:9', '--snapshots', '3', '--out', tempDir()]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--snapshots needs --duration/);
  });

  it('exits 2 within seconds when the target dies mid-run, keeping report.json of what was measured', async () => {
    const { t, ws } = await plainTarget();
    const out = tempDir();
    const m = memprofAsync(['profile', '--target', ws, '--interval', '200ms', '--out', out]);
    await m.waitForStderr(/profiling pid/, 10_000);
    // Let samples land over at least half a second, then kill the target outright.
    const samplesFile = path.join(out, 'samples.jsonl');
    const span = (): number => {
      if (!existsSync(samplesFile)) return 0;
      const ts = readJsonl<{ t: number }>(samplesFile).map((x) => x.t);
      return ts.length < 2 ? 0 : Math.max(...ts) - Math.min(...ts);
    };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && span() < 500) {
      await new Promise((res) => setTimeout(res, 100));
    }
    const killedAt = Date.now();
    t.killNow();
    const done = await m.done;
    expect(done.code).toBe(2);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    const lastLine = m.stderr().trim().split('\n').pop()!;
    expect(lastLine).toMatch(/target went away/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    // What was measured before the death is kept: the run spans at least the samples seen.
    expect(report.durationSec).toBeGreaterThanOrEqual(0.5);
    expect(report.memory.heapUsedBytes.start).toBeGreaterThan(0);
  });

  it('Ctrl-C writes report.json of what was measured and exits 130', async () => {
    const { ws } = await plainTarget();
    const out = tempDir();
    const m = memprofAsync(['profile', '--target', ws, '--interval', '200ms', '--out', out]);
    await m.waitForStderr(/profiling pid/, 10_000);
    await new Promise((res) => setTimeout(res, 1200));
    m.kill('SIGINT');
    const done = await m.done;
    expect(done.code).toBe(130);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.durationSec).toBeGreaterThan(0.8);
    expect(report.notes?.run).toMatch(/interrupted/);
    expect(m.stdout()).toMatch(/memprof report/);
  });

  it('--config: checks the report against that file (a failing check exits 1); a missing file exits 2 before attaching', async () => {
    const { ws } = await plainTarget();
    const dir = tempDir();
    const config = path.join(dir, 'strict.json');
    writeFileSync(config, JSON.stringify({ checks: { 'memory.heapUsedBytes.peak': '< 1KiB' } }));
    const out = path.join(dir, 'out');
    const r = memprof(['profile', '--target', ws, '--duration', '1s', '--config', config, '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.checks!.map((c) => c.path)).toEqual(['memory.heapUsedBytes.peak']);
    expect(report.checks![0].pass).toBe(false);

    const missing = memprof(['profile', '--target', ws, '--duration', '1s', '--config', path.join(dir, 'nope.json'), '--out', path.join(dir, 'out2')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read config '.*nope\.json': no such file/);
    expect(existsSync(path.join(dir, 'out2'))).toBe(false);
  });
});

