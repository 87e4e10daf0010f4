import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portIsListening } from '../../src/inspector/proc.js';
import { livingGroupMembers } from '../../src/profile/target-process.js';
import { ROOT } from '../helpers.js';
import { memprofAsync, tempDir, type Running } from '../e2e/helpers.js';

const IDLE = path.join(ROOT, 'fixtures', 'targets', 'idle.cjs');
let started: Running | null = null;
let group: number | null = null;

afterEach(() => {
  started?.kill('SIGKILL');
  // Whatever the test found, nothing it started may outlive it.
  if (group !== null) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone already: what the test asserts
    }
  }
  started = null;
  group = null;
});

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) return -1;
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

describe('the target of run never outlives memprof', () => {
  it('SIGKILL of memprof mid-profile: the target, its child and its inspector port are gone within 5 s', async () => {
    const out = tempDir('memprof-kill-');
    // A wrapper that starts a child of its own (sleep) and then becomes the Node server.
    const m = memprofAsync(['run', '--duration', '60s', '--interval', '500ms', '--snapshots', '0', '--out', out, '--', 'sh', '-c', `sleep 300 & exec "${process.execPath}" "${IDLE}"`]);
    started = m;
    await m.waitForStderr(/profiling pid (\d+)/, 30_000);
    const pid = Number(/profiling pid (\d+)/.exec(m.stderr())![1]);
    group = pid;
    const port = Number(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(path.join(out, 'target.log'), 'utf8'))![1]);
    expect(await portIsListening(port)).toBe(true);
    // The Node server and the sleep it started, one process group.
    expect(livingGroupMembers(pid)!.length).toBe(2);

    m.kill('SIGKILL');
    await m.done;
    const ms = await until(async () => livingGroupMembers(pid)!.length === 0 && !(await portIsListening(port)), 5000);
    expect(ms, `still alive: ${livingGroupMembers(pid)}`).toBeGreaterThanOrEqual(0);
  });

  it('a normal end leaves no watchdog behind', async () => {
    const out = tempDir('memprof-kill-');
    const m = memprofAsync(['run', '--duration', '1s', '--interval', '250ms', '--snapshots', '0', '--out', out, '--', process.execPath, IDLE]);
    started = m;
    const { code } = await m.done;
    // The checklist's verdict (0 or 1) is not what this test is about.
    expect([0, 1], m.stderr()).toContain(code);
    const pid = Number(/\(pid (\d+)\)/.exec(m.stderr())![1]);
    // No watchdog shell of this target's group is left waiting for memprof's pipe.
    const shells = await until(() => !watchdogOf(pid), 2000);
    expect(shells).toBeGreaterThanOrEqual(0);
  });
});

/** A living memprof watchdog of process group `pgid` (sh -c SCRIPT memprof-watchdog PGID); other runs' are not this test's. */
function watchdogOf(pgid: number): boolean {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.endsWith(`\0memprof-watchdog\0${pgid}\0`) && !/^[ZX]/.test(stateOf(e))) return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

function stateOf(pid: string): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2);
}
