import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from '../helpers.js';
import { startTarget, type TargetProcess } from '../../src/profile/target-process.js';

export const FIXTURE = path.join(ROOT, 'fixtures', 'mcp-server.mjs');

export function tempDir(prefix = 'memprof-e2e-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface Fixture {
  target: TargetProcess;
  wsUrl: string;
  mcpUrl: string;
  statusUrl: string;
}

/** The MCP fixture with its inspector open on a random port, as `run` would start it. */
export async function startFixture(mode: string, opts: { exposeGc?: boolean; env?: NodeJS.ProcessEnv; /** Node binary (default: this one). */ node?: string } = {}): Promise<Fixture> {
  const dir = tempDir('memprof-fixture-');
  const argv = [opts.node ?? process.execPath, ...(opts.exposeGc ? ['--expose-gc'] : []), FIXTURE, '--mode', mode];
  const target = startTarget(argv, { dir, env: { ...process.env, ...opts.env } });
  const wsUrl = await target.waitForInspector(15_000);
  const mcpUrl = await target.waitForListening(15_000);
  return { target, wsUrl, mcpUrl, statusUrl: mcpUrl.replace(/\/mcp$/, '/status') };
}

export interface FixtureStatus {
  sessions: number;
  heapUsed: number;
  gcForced: boolean;
  cachedBytes: number;
  pools: Record<string, { created: number; reused: number; inUse: number; peakInUse: number }>;
  sessionsOpened: number;
}

export function status(url: string): Promise<FixtureStatus> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Running {
  pid: number;
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  waitForStderr(re: RegExp, timeoutMs: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * The built CLI, asynchronously (the test keeps polling the fixture while it runs). `env` adds to
 * the environment, which `run` passes on to the command it starts.
 */
export function memprofAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Running {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => {
    err += c;
    for (const w of waiters.slice()) w();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.slice()) w();
      resolve({ code, signal, ms: Date.now() - started });
    }),
  );
  return {
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    done,
    kill: (signal) => child.kill(signal),
    waitForStderr(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(err)) {
            cleanup();
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`memprof exited before printing ${re}: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re}; stderr so far: ${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
        };
        waiters.push(check);
        check();
      });
    },
  };
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/** Alive and not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
