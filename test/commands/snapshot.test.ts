import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/inspector/agent.js';
import { connectTarget } from '../../src/inspector/connect.js';
import { listeningSockets } from '../../src/inspector/proc.js';
import { parseSnapshot } from '../../src/snapshot/parse/parser.js';
import type { RawSnapshot } from '../../src/snapshot/types.js';
import { BIN, memprof, ROOT } from '../helpers.js';
import { startTarget, stopAllTargets, waitFor } from '../inspector/targets.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'memprof-snapshot-'));
});
afterEach(async () => {
  await stopAllTargets();
  rmSync(dir, { recursive: true, force: true });
});

/** Instances per constructor name, straight from the parsed node array. */
function countByName(snap: RawSnapshot, name: string): number {
  const f = snap.meta.nodeFields.length;
  const typeIx = snap.meta.nodeFields.indexOf('type');
  const nameIx = snap.meta.nodeFields.indexOf('name');
  const objectType = (snap.meta.nodeTypes[typeIx] as string[]).indexOf('object');
  let n = 0;
  for (let i = 0; i < snap.nodes.length; i += f) {
    if (snap.nodes[i + typeIx] === objectType && snap.strings.get(snap.nodes[i + nameIx]) === name) n++;
  }
  return n;
}

/** Starts memprof without waiting, to interrupt it. */
function startMemprof(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => stdout, err: () => stderr };
}

const partials = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.partial'));

describe('memprof snapshot', () => {
  it('writes a complete snapshot, mode 0600, that the parser loads, and prints its path and size', async () => {
    const t = await startTarget('idle.cjs', { inspect: true, env: { WIDGETS: '321' } });
    const out = join(dir, 'one.heapsnapshot');
    const r = memprof(['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', out]);
    expect(r.stderr).toMatch(/note: a heap snapshot freezes the target/);
    expect(r.status).toBe(0);
    const size = statSync(out).size;
    expect(r.stdout).toContain(out);
    expect(r.stdout).toContain(`(${size} bytes, pid ${t.pid},`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const snap = parseSnapshot(readFileSync(out));
    expect(countByName(snap, 'Widget')).toBe(321);
    expect(readdirSync(dir)).toEqual(['one.heapsnapshot']);
    expect(t.alive()).toBe(true);
  });

  it('gzips when the file name ends in .gz', async () => {
    const t = await startTarget('idle.cjs', { inspect: true, env: { WIDGETS: '77' } });
    const out = join(dir, 'two.heapsnapshot.gz');
    const r = memprof(['snapshot', '--target', t.wsUrl!, '-o', out]);
    expect(r.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(countByName(parseSnapshot(gunzipSync(readFileSync(out))), 'Widget')).toBe(77);
  });

  it('by pid: default file name in the working directory, inspector closed again', async () => {
    const t = await startTarget('idle.cjs', { nodeArgs: ['--inspect-port=0'] });
    const r = memprof(['snapshot', '--target', `pid:${t.pid}`], { cwd: dir });
    expect(r.status).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^Heap-${t.pid}-\\d{8}T\\d{6}\\.heapsnapshot$`));
    expect(countByName(parseSnapshot(readFileSync(join(dir, files[0]))), 'Widget')).toBe(100);
    await waitFor(async () => (await listeningSockets(t.pid)).length === 0, 5000, 'the inspector to close');
  });

  it('Ctrl-C mid-snapshot: exit 130, partial file removed, target alive and attachable', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    await growTarget(t.port!, 10);
    const m = startMemprof(['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', join(dir, 'int.heapsnapshot')]);
    await waitFor(() => partials().length === 1, 20_000, 'the snapshot to start');
    m.child.kill('SIGINT');
    const [code] = await m.exited;
    expect(code).toBe(130);
    expect(m.err()).toMatch(/^memprof: interrupted/m);
    expect(readdirSync(dir)).toEqual([]);
    expect(t.alive()).toBe(true);
    const again = memprof(['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', join(dir, 'after.heapsnapshot')]);
    expect(again.status).toBe(0);
  });

  it('memprof SIGKILLed mid-snapshot: the target survives and the next run attaches cleanly', async () => {
    const t = await startTarget('idle.cjs', { nodeArgs: ['--inspect-port=0'] });
    await growTargetByPid(t.pid, 10);
    const m = startMemprof(['snapshot', '--target', `pid:${t.pid}`, '-o', join(dir, 'killed.heapsnapshot')]);
    await waitFor(() => partials().length === 1, 20_000, 'the snapshot to start');
    m.child.kill('SIGKILL');
    await m.exited;
    expect(t.alive()).toBe(true);
    // The killed run could not close the inspector it opened; the next pid run finds it, and closes it.
    const next = memprof(['snapshot', '--target', `pid:${t.pid}`, '-o', join(dir, 'next.heapsnapshot')]);
    expect(next.stderr).not.toMatch(/error/i);
    expect(next.status).toBe(0);
    expect(countByName(parseSnapshot(readFileSync(join(dir, 'next.heapsnapshot'))), 'Widget')).toBe(100);
    await waitFor(async () => (await listeningSockets(t.pid)).length === 0, 5000, 'the inspector to close');
    expect(t.alive()).toBe(true);
  });

  it('target dies mid-snapshot: exit 2, one line, no file left', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    await growTarget(t.port!, 10);
    const m = startMemprof(['snapshot', '--target', `127.0.0.1:${t.port}`, '-o', join(dir, 'dead.heapsnapshot')]);
    await waitFor(() => partials().length === 1, 20_000, 'the snapshot to start');
    await t.stop();
    const [code] = await m.exited;
    expect(code).toBe(2);
    expect(m.err().trim().split('\n').filter((l) => !l.includes('note:'))).toEqual([expect.stringMatching(/^memprof: inspector connection to .* closed/)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses an unwritable output before attaching', () => {
    const r = memprof(['snapshot', '--target', '127.0.0.1:9', '-o', join(dir, 'missing', 'x.heapsnapshot')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/directory .*missing does not exist or is not writable/);
  });
});

async function growTarget(port: number, mb: number): Promise<void> {
  const live = await connectTarget(`127.0.0.1:${port}`);
  try {
    await evaluate(live.session, `grow(${mb})`, { timeoutMs: 60_000 });
  } finally {
    await live.close();
  }
}

async function growTargetByPid(pid: number, mb: number): Promise<void> {
  const live = await connectTarget(`pid:${pid}`);
  try {
    await evaluate(live.session, `grow(${mb})`, { timeoutMs: 60_000 });
  } finally {
    await live.close();
  }
}
