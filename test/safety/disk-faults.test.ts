import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers.js';
import { tempDir } from '../e2e/helpers.js';
import { startTarget, stopAllTargets, type RunningTarget } from '../inspector/targets.js';

/**
 * A full disk and a forbidden directory, for real, whoever runs the tests (root ignores mode bits):
 * memprof runs inside a user namespace (util-linux `unshare`, no privilege needed where the kernel
 * allows unprivileged user namespaces). `-Urm`: a mount namespace where a tiny tmpfs is the output
 * directory, so writes fail with ENOSPC. `-U` alone: memprof runs as an unmapped user ("nobody"),
 * for whom a directory of mode 0555 is read-only, root-owned or not: EACCES. The target runs outside,
 * reached over its loopback inspector port.
 */
const canUnshare = spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=4k tmpfs /mnt'], { encoding: 'utf8' }).status === 0;
if (!canUnshare) console.warn('disk-faults: skipped, this kernel or container refuses unprivileged user namespaces (unshare -Urm)');

afterEach(() => stopAllTargets());

interface NsResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `ls -A` of the output directory, as memprof left it (the tmpfs vanishes with the namespace). */
  left: string[];
  /** Files printed after memprof exited, by name. */
  files: Record<string, string>;
}

/** Runs memprof with `args` where {DIR} is the output directory: a tmpfs of `size` (full), or a 0555 directory (readonly). */
function inNamespace(kind: { full: string } | 'readonly', args: string[], cat: string[] = []): NsResult {
  const dir = tempDir('memprof-disk-');
  if (kind === 'readonly') chmodSync(dir, 0o555);
  const quoted = args.map((a) => `'${a.replace(/\{DIR\}/g, dir)}'`).join(' ');
  const mount = kind === 'readonly' ? '' : `mount -t tmpfs -o size=${kind.full},mode=0777 tmpfs '${dir}' || exit 99`;
  const script = [
    mount,
    `'${process.execPath}' '${BIN}' ${quoted}`,
    'echo "exit=$?"',
    `echo "left=$(ls -A '${dir}' | tr '\\n' ' ')"`,
    ...cat.map((f) => `echo "==${f}"; cat '${dir}/${f}' 2>/dev/null`),
  ].join('\n');
  const r = spawnSync('unshare', [kind === 'readonly' ? '-U' : '-Urm', 'sh', '-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 90_000,
  });
  const [head, ...rest] = r.stdout.split(/^==/m);
  const files: Record<string, string> = {};
  for (const part of rest) {
    const nl = part.indexOf('\n');
    files[part.slice(0, nl)] = part.slice(nl + 1);
  }
  const code = /^exit=(\d+)$/m.exec(head);
  const left = /^left=(.*)$/m.exec(head);
  return { code: code ? Number(code[1]) : null, stdout: head, stderr: r.stderr, left: left ? left[1].trim().split(/\s+/).filter(Boolean) : [], files };
}

/** The target answers at once over IPC (it is not frozen or paused) and carries nothing of memprof's. */
async function expectTargetAsFound(t: RunningTarget): Promise<void> {
  const started = Date.now();
  const fp = await new Promise<{ agent: boolean; bindings: string[] }>((resolve) => {
    t.child.once('message', (m: { footprint: { agent: boolean; bindings: string[] } }) => resolve(m.footprint));
    t.child.send('footprint');
  });
  expect(Date.now() - started).toBeLessThan(1000);
  expect(fp.agent).toBe(false);
  expect(fp.bindings).toEqual([]);
}

describe.skipIf(!canUnshare)('a full disk or an unwritable output: one line, no partial file, the target running', () => {
  it('snapshot on a full disk (ENOSPC): exit 2, one line, the partial snapshot removed', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    // A snapshot of the idle target is a few MB: plain, and gzipped (another sink, same promise).
    for (const name of ['x.heapsnapshot', 'x.heapsnapshot.gz']) {
      const r = inNamespace({ full: name.endsWith('.gz') ? '16k' : '256k' }, ['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', `{DIR}/${name}`]);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('memprof: note:'));
      expect(lines).toEqual([expect.stringMatching(/^memprof: cannot write .*x\.heapsnapshot(\.gz)?: no space left on device \(ENOSPC\); the partial file was removed; free some space/)]);
      expect(r.left).toEqual([]);
      await expectTargetAsFound(t);
    }
  }, 60_000);

  it('profile whose disk fills mid-run: the JSONL files end on a whole line, report.json is not left half-written, exit 2', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const r = inNamespace(
      { full: '8k' },
      ['profile', '--target', `127.0.0.1:${t.port}`, '--duration', '1s', '--interval', '50ms', '--snapshots', '0', '--out', '{DIR}'],
      ['samples.jsonl'],
    );
    expect(r.code, r.stderr).toBe(2);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last).toMatch(/^memprof: cannot write .*report\.json: no space left on device \(ENOSPC\); nothing partial was left; free some space/);
    // No temporary report file; the measurements files hold whole lines only.
    expect(r.left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(r.left).toContain('samples.jsonl');
    const lines = r.files['samples.jsonl'].split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    // What was measured still reaches the user.
    expect(r.stdout).toMatch(/memory|heap/i);
    await expectTargetAsFound(t);
  }, 60_000);

  it('profile into a directory memprof may not write (EACCES): exit 2, one line, before attaching', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const r = inNamespace('readonly', ['profile', '--target', `127.0.0.1:${t.port}`, '--duration', '1s', '--snapshots', '0', '--out', '{DIR}/out']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^memprof: cannot write .*\/out: permission denied \(EACCES\); choose a directory you can write to/)]);
    expect(r.left).toEqual([]);
    await expectTargetAsFound(t);
  }, 60_000);
});

