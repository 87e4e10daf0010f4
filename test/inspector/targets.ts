import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const TARGETS = fileURLToPath(new URL('../../fixtures/targets/', import.meta.url));
/**
 * The Node binary the targets run on: this Node unless MEMPROF_TEST_TARGET_NODE names another one
 * (to check that memprof can profile targets on other Node versions, e.g. an 18.x binary).
 */
export const TARGET_NODE = process.env.MEMPROF_TEST_TARGET_NODE || process.execPath;

export interface RunningTarget {
  child: ChildProcess;
  pid: number;
  /** Inspector port and WebSocket URL when started with an inspector. */
  port?: number;
  wsUrl?: string;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

const running = new Set<RunningTarget>();

/**
 * Starts a fixture target and waits until it said 'ready' over IPC (its SIGUSR1 handler and
 * globals are in place by then) and, with `inspect`, until the inspector announced its URL.
 */
export async function startTarget(
  script: string,
  opts: { nodeArgs?: string[]; inspect?: boolean; env?: NodeJS.ProcessEnv; /** Node binary (default TARGET_NODE). */ node?: string } = {},
): Promise<RunningTarget> {
  const nodeArgs = [...(opts.nodeArgs ?? [])];
  if (opts.inspect) nodeArgs.push('--inspect=127.0.0.1:0');
  const child = spawn(opts.node ?? TARGET_NODE, [...nodeArgs, TARGETS + script], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  let exited = false;
  child.once('exit', () => (exited = true));

  const t: RunningTarget = {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    alive: () => !exited,
    async stop() {
      running.delete(t);
      if (exited) return;
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => {});
    },
  };
  running.add(t);

  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m) => m === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`target ${script} exited (${code}) before it was ready: ${err}`)));
  });
  await ready;
  if (opts.inspect) {
    const deadline = Date.now() + 10_000;
    while (!/ws:\/\/127\.0\.0\.1:(\d+)\/\S+/.test(err)) {
      if (Date.now() > deadline) throw new Error(`no inspector URL from ${script}: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const m = /(ws:\/\/127\.0\.0\.1:(\d+)\/\S+)/.exec(err)!;
    t.wsUrl = m[1];
    t.port = Number(m[2]);
  }
  return t;
}

/** Kills every target a test started (afterEach). */
export async function stopAllTargets(): Promise<void> {
  await Promise.all([...running].map((t) => t.stop()));
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
