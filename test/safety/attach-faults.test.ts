import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { listeningSockets } from '../../src/inspector/proc.js';
import { memprofAsync, tempDir, type Running } from '../e2e/helpers.js';
import { startTarget, stopAllTargets, waitFor, type RunningTarget } from '../inspector/targets.js';

const runs: Running[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) r.kill('SIGKILL');
  await stopAllTargets();
});

function start(args: string[]): Running {
  const r = memprofAsync(args);
  runs.push(r);
  return r;
}

interface Footprint {
  agent: boolean;
  bindings: string[];
  inspectorUrl: string | null;
}

/** What memprof left in the target, as the target itself sees it (asked over IPC). */
function footprint(t: RunningTarget): Promise<Footprint> {
  return new Promise((resolve) => {
    const on = (m: { footprint?: Footprint }): void => {
      if (!m || !m.footprint) return;
      t.child.off('message', on);
      resolve(m.footprint);
    };
    t.child.on('message', on);
    t.child.send('footprint');
  });
}

describe('a crashed memprof leaves the target as it found it; one profiler at a time', () => {
  it('pid:N: a second memprof is refused with who holds it; after SIGKILL of the first, its probes and the inspector it opened go away', async () => {
    const t = await startTarget('idle.cjs');
    const out = tempDir('memprof-dms-');
    const first = start(['profile', '--target', `pid:${t.pid}`, '--duration', '120s', '--interval', '500ms', '--snapshots', '0', '--out', out]);
    await first.waitForStderr(/profiling pid/, 20_000);
    const during = await footprint(t);
    expect(during.agent).toBe(true);
    expect(during.bindings.length).toBeGreaterThan(0);
    expect(during.inspectorUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);

    // One profiler at a time: one line saying who holds the target and since when, exit 2.
    const second = start(['profile', '--target', `pid:${t.pid}`, '--duration', '2s', '--snapshots', '0', '--out', tempDir('memprof-dms-')]);
    const refused = await second.done;
    expect(refused.code).toBe(2);
    const line = second.stderr().trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(new RegExp(`pid ${t.pid} is already being profiled by another memprof \\(pid ${first.pid} since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\); .*--force`));

    first.kill('SIGKILL');
    await first.done;
    // The heartbeat stops; within its expiry (8 s) and a tick, the target removes what memprof
    // installed and closes the inspector memprof opened by SIGUSR1.
    const killedAt = Date.now();
    await waitFor(async () => (await listeningSockets(t.pid)).length === 0, 15_000, 'the inspector memprof opened to close');
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    const after = await footprint(t);
    expect(after).toEqual({ agent: false, bindings: [], inspectorUrl: null });
    expect(t.alive()).toBe(true);
  }, 60_000);

  it('--force: two runs at once; each leaves the GCs the other forced out of its own figures and notes the other', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const target = `127.0.0.1:${t.port}`;
    const out1 = tempDir('memprof-two-');
    const out2 = tempDir('memprof-two-');
    const first = start(['profile', '--target', target, '--duration', '6s', '--interval', '250ms', '--snapshots', '0', '--out', out1]);
    await first.waitForStderr(/profiling pid/, 20_000);
    const second = start(['profile', '--force', '--target', target, '--duration', '3s', '--interval', '250ms', '--snapshots', '0', '--out', out2]);
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect([0, 1], first.stderr()).toContain(r1.code);
    expect([0, 1], second.stderr()).toContain(r2.code);
    const rep1 = JSON.parse(readFileSync(path.join(out1, 'report.json'), 'utf8')) as Report;
    const rep2 = JSON.parse(readFileSync(path.join(out2, 'report.json'), 'utf8')) as Report;
    // The second run forced a full GC at its start and its end: the first run saw them as another's.
    expect(rep1.gc.forcedByOthers?.count).toBeGreaterThanOrEqual(1);
    // An idle target collects nothing on its own: no GC of the other run passes for a natural one.
    expect(rep1.gc.major.source).toBe('forced');
    expect(rep2.notes?.['run.sharedTarget']).toMatch(new RegExp(`another memprof \\(pid ${first.pid} since .*\\) was profiling this target`));
    // The other memprof's connection is another inspector client, seen by the first run.
    expect(rep1.notes?.['run.otherInspectorClients']).toMatch(/another inspector client .* 1 connection besides memprof's/);
    // Both detached cleanly.
    const after = await footprint(t);
    expect(after.agent).toBe(false);
    expect(after.bindings).toEqual([]);
  }, 60_000);
});
