import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectArgv, startTarget, type TargetProcess } from '../../src/profile/target-process.js';

/** Alive and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

// A parent that announces itself like the fixtures do and starts a grandchild that ignores SIGTERM:
// stop() must still leave nothing behind.
const PARENT = `
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('grandchild ' + process.pid); setInterval(() => {}, 1000)"], { stdio: 'inherit' });
console.log('MCP server listening on http://127.0.0.1:4321/mcp');
setInterval(() => {}, 1000);
`;

describe('startTarget', () => {
  const started: TargetProcess[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) t.killNow();
  });

  it('opens the inspector on a random loopback port and reads the URL from stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memprof-run-'));
    const t = startTarget([process.execPath, '-e', PARENT], { dir });
    started.push(t);
    const url = await t.waitForInspector(10_000);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
    expect(url).not.toMatch(/:9229\//);
    expect(await t.waitForListening(10_000)).toBe('http://127.0.0.1:4321/mcp');
    // Wait until the grandchild announced itself, then stop the whole group.
    let grandchild = 0;
    for (const deadline = Date.now() + 10_000; !grandchild && Date.now() < deadline; ) {
      const m = /grandchild (\d+)/.exec(readFileSync(t.logPath, 'utf8'));
      if (m) grandchild = Number(m[1]);
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(true);
    // stop() resolves only once every process of the group is gone: the grandchild ignores SIGTERM,
    // outlives the leader and must have died of the SIGKILL by now, not some time later.
    await t.stop(500);
    expect(t.hasExited()).toBe(true);
    expect(alive(t.pid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    const log = readFileSync(t.logPath, 'utf8');
    expect(log).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1/);
  });

  it('rejects with a line pointing at target.log when CMD exits before opening the inspector', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memprof-run-'));
    // NODE_OPTIONS cannot reach a program that is not node: the inspector never opens.
    const t = startTarget(['sh', '-c', 'echo oops >&2; exit 3'], { dir });
    started.push(t);
    await expect(t.waitForInspector(10_000)).rejects.toThrow(/exited with code 3.*target\.log/);
    await t.stop(500);
    expect(readFileSync(t.logPath, 'utf8')).toContain('oops');
  });

  it('rejects when the command does not exist', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memprof-run-'));
    const t = startTarget(['/nonexistent/memprof-no-such-binary'], { dir });
    started.push(t);
    await expect(t.waitForInspector(10_000)).rejects.toThrow(/cannot start/);
  });

  it('puts the flag after node, and in NODE_OPTIONS for wrappers', () => {
    expect(inspectArgv(['node', 'server.js'], {}).argv).toEqual(['node', '--inspect=127.0.0.1:0', 'server.js']);
    const w = inspectArgv(['npx', 'tsx', 'server.ts'], { NODE_OPTIONS: '--max-old-space-size=512' });
    expect(w.argv).toEqual(['npx', 'tsx', 'server.ts']);
    expect(w.env.NODE_OPTIONS).toBe('--max-old-space-size=512 --inspect=127.0.0.1:0');
  });
});
