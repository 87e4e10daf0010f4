import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/inspector/agent.js';
import { connectTarget } from '../../src/inspector/connect.js';
import { memprof } from '../helpers.js';
import { startTarget, stopAllTargets } from '../inspector/targets.js';

/**
 * A memory cgroup with a small limit, to put a real target in. Needs root and a writable cgroup
 * hierarchy (v1 memory controller or v2 with memory.max); null where the machine has neither.
 */
function makeMemoryCgroup(limitBytes: number): { dir: string; add(pid: number): void; remove(): void } | null {
  const name = `memprof-test-${process.pid}`;
  for (const [root, limitFile] of [
    ['/sys/fs/cgroup/memory', 'memory.limit_in_bytes'],
    ['/sys/fs/cgroup', 'memory.max'],
  ]) {
    const dir = join(root, name);
    try {
      if (!existsSync(join(root, limitFile)) && !existsSync(join(root, 'cgroup.procs'))) continue;
      mkdirSync(dir);
      writeFileSync(join(dir, limitFile), String(limitBytes));
      return {
        dir,
        add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
        remove: () => rmdirSync(dir),
      };
    } catch {
      try {
        rmdirSync(dir);
      } catch {
        // was not created
      }
    }
  }
  return null;
}

const LIMIT = 160 * 1024 * 1024;
const cgroup = makeMemoryCgroup(LIMIT);
const dir = mkdtempSync(join(tmpdir(), 'memprof-headroom-'));
afterAll(async () => {
  await stopAllTargets();
  cgroup?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('memprof snapshot headroom check', () => {
  it.skipIf(!cgroup)('refuses to snapshot a target whose cgroup cannot hold the snapshot, without --force', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    cgroup!.add(t.pid);
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    // ~25 MB of heap: a snapshot needs about 9 × that, more than the 160 MiB limit leaves.
    await evaluate(live.session, 'grow(50)', { timeoutMs: 60_000 });
    await live.close();
    const r = memprof(['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', join(dir, 'x.heapsnapshot')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^memprof: not taking the snapshot of pid \d+: .*only .* free according to its memory cgroup \(limit 167772160 B.*pass --force/);
    expect(readdirSync(dir)).toEqual([]);
    expect(t.alive()).toBe(true);
  });
});
