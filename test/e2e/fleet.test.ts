import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { startTarget, type TargetProcess } from '../../src/profile/target-process.js';
import { ROOT } from '../helpers.js';
import { alive, FIXTURE, memprofAsync, tempDir } from './helpers.js';

const CLUSTER = path.join(ROOT, 'fixtures', 'mcp-cluster.mjs');
/** No snapshots: these tests are about the fleet's bookkeeping and per-session cost, not leaks. */
const QUICK = ['--snapshots', '0', '--interval', '500ms'];

function readReport(dir: string): Report {
  return JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
}

// Both tests run at once (each is mostly waiting on its targets): about 30 s of wall time together.
describe.concurrent('a fleet: a 2-worker node:cluster of the MCP fixture', () => {
  const started: TargetProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((t) => t.stop(3000)));
  });

  it('run --workers profiles each worker on its own inspector; sessions add up; per-session cost as one process', async () => {
    const fleetOut = tempDir();
    const singleOut = tempDir();
    // The fleet opens 180 sessions, 90 on each worker; the single process takes the same 90 (steps of 30: a small step's cost is lost in the heap's own noise).
    const fleet = memprofAsync(['run', '--workers', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '60,120,180', ...QUICK, '--out', fleetOut, '--', process.execPath, CLUSTER, '--mode', 'clean'], {
      env: { WORKERS: '2' },
    });
    const single = memprofAsync(['run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', '30,60,90', ...QUICK, '--out', singleOut, '--', process.execPath, FIXTURE, '--mode', 'clean']);
    const [f, s] = await Promise.all([fleet.done, single.done]);
    expect([0, 1], fleet.stderr()).toContain(f.code);
    expect([0, 1], single.stderr()).toContain(s.code);

    // Node's cluster gave the primary and each worker an inspector of its own.
    const log = readFileSync(path.join(fleetOut, 'target.log'), 'utf8');
    expect(log.match(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//g)?.length).toBe(3);
    const primary = Number(/started '.*' \(pid (\d+)\)/.exec(fleet.stderr())?.[1]);

    const report = readReport(fleetOut);
    const one = readReport(singleOut);
    expect(report.instances).toHaveLength(2);
    const pids = report.instances!.map((i) => i.target.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(primary);
    expect(report.instances!.map((i) => i.status)).toEqual(['ok', 'ok']);
    // Each worker's own count (the load it was given, measured at its steps) adds up to the fleet's.
    const opened = report.instances!.map((i) => i.load?.sessionsOpened ?? 0);
    expect(opened).toEqual([90, 90]);
    expect(report.load?.sessionsOpened).toBe(180);
    expect(report.instances!.map((i) => i.connections!.steps.map((st) => st.connections))).toEqual([
      [30, 60, 90],
      [30, 60, 90],
    ]);
    expect(report.connections!.steps.map((st) => st.connections)).toEqual([60, 120, 180]);
    expect(report.fleet).toMatchObject({ instances: 2, ok: 2, exited: 0, topConnections: [90, 90], imbalance: 0 });
    // Per-instance marginal cost against the single process's, same server, same sessions.
    const reference = one.connections!.marginalBytesPerConnection!;
    for (const i of report.instances!) {
      const m = i.connections!.marginalBytesPerConnection!;
      expect(Math.abs(m - reference) / reference, `${i.name}: ${m} vs ${reference}`).toBeLessThan(0.2);
    }
    // Each check names the instance that decided it; each instance has its own report.
    for (const c of report.checks) expect(report.instances!.map((i) => i.name)).toContain(c.instance);
    for (const i of report.instances!) expect(readReport(path.join(fleetOut, i.dir)).target.pid).toBe(i.target.pid);
  }, 180_000);

  it('profile --target pid:N --workers: a worker killed mid-run is reported exited, the other is measured to the end', async () => {
    // Started without an inspector: memprof opens each worker's with SIGUSR1 (all on 9229, moved one by one).
    const cluster = startTarget([process.execPath, CLUSTER, '--mode', 'clean'], { dir: tempDir('memprof-cluster-'), noInspector: true, env: { ...process.env, WORKERS: '2' } });
    started.push(cluster);
    const deadline = Date.now() + 60_000;
    while (cluster.listeningUrls.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(cluster.listeningUrls).toHaveLength(2);
    const out = tempDir();
    const m = memprofAsync([
      'profile',
      '--target',
      `pid:${cluster.pid}`,
      '--workers',
      ...cluster.listeningUrls.flatMap((u) => ['--mcp', u]),
      '--ramp',
      '2,4',
      '--hold',
      '8s',
      '--no-warmup',
      ...QUICK,
      '--out',
      out,
    ]);
    await m.waitForStderr(/\[1\] holding/, 90_000);
    const workers = /found 2 Node processes under pid \d+: (\d+), (\d+)/.exec(m.stderr());
    expect(workers, m.stderr()).not.toBeNull();
    const victim = Number(workers![2]);
    process.kill(victim, 'SIGKILL');
    const done = await m.done;
    // Not exit 2: one instance is still measured; the checklist decides.
    expect([0, 1], m.stderr()).toContain(done.code);
    const report = readReport(out);
    expect(report.fleet).toMatchObject({ instances: 2, ok: 1, exited: 1 });
    const dead = report.instances!.find((i) => i.target.pid === victim)!;
    const survivor = report.instances!.find((i) => i.target.pid !== victim)!;
    expect(dead.status).toBe('exited');
    expect(dead.exited!.how).toMatch(/inspector connection lost|exit/);
    expect(survivor.status).toBe('ok');
    expect(survivor.growth.steadyFit?.n ?? 0).toBeGreaterThan(0);
    expect(m.stderr()).toMatch(new RegExp(`pid ${victim} exited during the run`));
    // The inspector memprof opened in the survivor is closed again.
    expect(alive(survivor.target.pid!)).toBe(true);
  }, 180_000);
});
