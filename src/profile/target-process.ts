import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { MemprofError } from '../util/errors.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

/**
 * The process `memprof run` starts and later stops: CMD with the inspector on a random loopback
 * port, its output captured to DIR/target.log, in its own process group so that stopping it also
 * stops everything it started.
 */
export interface TargetProcess {
  readonly pid: number;
  readonly command: string;
  readonly logPath: string;
  /** Every inspector WebSocket URL the target printed, in order (wrappers may print several). */
  readonly inspectorUrls: readonly string[];
  /** Every "MCP server listening on URL" the target printed, in order. */
  readonly listeningUrls: readonly string[];
  /** Resolves (never rejects) when the process exits; exit code or signal name. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** Resolves with the first inspector URL, rejects if CMD exits or times out first. */
  waitForInspector(timeoutMs: number): Promise<string>;
  /** Resolves with the first "listening" URL, rejects if CMD exits or times out first. */
  waitForListening(timeoutMs: number): Promise<string>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Immediate SIGKILL of the process group (second Ctrl-C, crash paths). Synchronous. */
  killNow(): void;
  /** With `stdio`: the target's stdin and stdout, its MCP channel (not in target.log); null otherwise. */
  readonly protocol: { stdin: Writable; stdout: Readable } | null;
}

export interface StartOptions {
  /** Directory for target.log (created by the caller). */
  dir: string;
  /** Also copy the target's output to memprof's stderr. */
  verbose?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * The target speaks MCP over stdio: its stdin and stdout are piped to memprof (`protocol`) and
   * only its stderr goes to target.log.
   */
  stdio?: boolean;
  /** Do not open the inspector (`load --stdio`: load only). */
  noInspector?: boolean;
}

const INSPECT_FLAG = '--inspect=127.0.0.1:0';
const DEBUGGER_LINE = /Debugger listening on (ws:\/\/\S+)/;
const LISTENING_LINE = /MCP server listening on (https?:\/\/\S+)/;

/** A node binary, named as such or by its path, gets the flag itself; anything else (npx, sh, tsx) via NODE_OPTIONS. */
export function isNodeCommand(cmd: string): boolean {
  const base = path.basename(cmd);
  return base === 'node' || base === 'node.exe' || /^node\d+(\.\d+)*$/.test(base) || cmd === process.execPath;
}

/** The argv and environment that open the inspector on 127.0.0.1 with a port the OS picks. */
export function inspectArgv(cmd: string[], env: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv } {
  const [bin, ...rest] = cmd;
  if (isNodeCommand(bin)) return { argv: [bin, INSPECT_FLAG, ...rest], env };
  const prior = env.NODE_OPTIONS ? `${env.NODE_OPTIONS} ` : '';
  return { argv: cmd, env: { ...env, NODE_OPTIONS: `${prior}${INSPECT_FLAG}` } };
}

export function startTarget(cmd: string[], opts: StartOptions): TargetProcess {
  if (cmd.length === 0) throw new MemprofError('run needs a command after --, e.g. memprof run -- node server.js', 2);
  const logPath = path.join(opts.dir, 'target.log');
  const log = createWriteStream(logPath, { flags: 'w', mode: 0o600 });
  // A full disk must not crash memprof (an unhandled 'error' would) and orphan the target: the
  // log just stops; the target's output is still scanned for its inspector and listening lines.
  log.on('error', () => log.destroy());
  const { argv, env } = opts.noInspector ? { argv: cmd, env: opts.env ?? process.env } : inspectArgv(cmd, opts.env ?? process.env);
  // detached: its own process group, so a terminal Ctrl-C reaches memprof only (memprof decides
  // when the target stops) and stop() can signal every process CMD started.
  const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: [opts.stdio ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  // Started in the same synchronous step as the target: there is no moment when memprof could die
  // and leave the group without its watchdog.
  const watchdog = child.pid === undefined ? null : startWatchdog(child.pid);
  return new RunningTarget(child, cmd.join(' '), logPath, log, opts.verbose ?? false, opts.stdio ?? false, watchdog);
}

class RunningTarget implements TargetProcess {
  readonly inspectorUrls: string[] = [];
  readonly listeningUrls: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private done = false;
  private spawnError: Error | null = null;
  private readonly waiters = new Set<() => void>();
  /** Both output pipes have ended (the process and whatever inherited them are gone). */
  private readonly outputEnded: Promise<unknown>;
  readonly protocol: { stdin: Writable; stdout: Readable } | null;

  constructor(
    private readonly child: ChildProcess,
    readonly command: string,
    readonly logPath: string,
    private readonly log: WriteStream,
    verbose: boolean,
    stdio: boolean,
    private readonly watchdog: Watchdog | null,
  ) {
    this.protocol = stdio && child.stdin && child.stdout ? { stdin: child.stdin, stdout: child.stdout } : null;
    // Writing to a target that has gone raises EPIPE: its exit is reported by other means.
    child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.spawnError = err;
        this.finish();
        resolve({ code: null, signal: null });
      });
      child.once('exit', (code, signal) => {
        this.finish();
        resolve({ code, signal });
      });
    });
    this.outputEnded = Promise.all([child.stdout, child.stderr].map((st) => (st ? new Promise((r) => st.once('close', r)) : null)));
    // With stdio the stdout is the protocol: whoever holds `protocol` reads it.
    for (const stream of stdio ? [child.stderr] : [child.stdout, child.stderr]) {
      if (!stream) continue;
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        if (!this.log.writableEnded && !this.log.destroyed) this.log.write(chunk);
        if (verbose) process.stderr.write(chunk);
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.scan(line);
      });
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  hasExited(): boolean {
    return this.done;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.notify();
  }

  private scan(line: string): void {
    const dbg = DEBUGGER_LINE.exec(line);
    if (dbg) this.inspectorUrls.push(dbg[1]);
    const mcp = LISTENING_LINE.exec(line);
    if (mcp) this.listeningUrls.push(mcp[1]);
    if (dbg || mcp) this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor(pick: () => string | undefined, what: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = pick();
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        if (this.done) {
          cleanup();
          // 'exit' can come before the last output: let the pipes drain so target.log is complete.
          void this.drained().then(() => reject(this.exitError(what)));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new MemprofError(`'${this.command}' did not ${what} within ${Math.round(timeoutMs / 1000)} s; see ${this.logPath}`, 2));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(listener);
      };
      const listener = (): void => void check();
      this.waiters.add(listener);
      check();
    });
  }

  private exitError(what: string): MemprofError {
    if (this.spawnError) {
      return new MemprofError(`cannot start '${this.command}': ${this.spawnError.message}`, 2);
    }
    const code = this.child.exitCode;
    const how = code !== null ? `exited with code ${code}` : `was killed by ${this.child.signalCode ?? 'a signal'}`;
    return new MemprofError(`'${this.command}' ${how} before it would ${what}; see ${this.logPath}`, 2);
  }

  waitForInspector(timeoutMs: number): Promise<string> {
    return this.waitFor(() => this.inspectorUrls[0], 'open the inspector', timeoutMs);
  }

  waitForListening(timeoutMs: number): Promise<string> {
    return this.waitFor(() => this.listeningUrls[0], "print 'MCP server listening on URL'", timeoutMs);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already (ESRCH): nothing left to stop.
    }
  }

  /** True while any process of the target's group is alive (the leader may exit before its children). */
  private groupAlive(): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    const members = livingGroupMembers(pid);
    if (members !== null) return members.length > 0;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private stopping: Promise<void> | null = null;

  stop(graceMs = 5000): Promise<void> {
    this.stopping ??= this.stopGroup(graceMs);
    return this.stopping;
  }

  private async stopGroup(graceMs: number): Promise<void> {
    this.signalGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    while ((!this.done || this.groupAlive()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!this.done || this.groupAlive()) {
      this.signalGroup('SIGKILL');
      // SIGKILL is delivered at once but a process takes a moment to die (longer on a loaded
      // machine); 'exited' covers the leader only, so wait until the whole group is gone.
      const killDeadline = Date.now() + 5000;
      while ((!this.done || this.groupAlive()) && Date.now() < killDeadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    // The group is gone: the watchdog must not signal a group id the system may hand out again.
    if (!this.groupAlive()) this.watchdog?.release();
    await this.drained();
    if (!this.log.destroyed) await new Promise<void>((resolve) => this.log.end(resolve));
  }

  /** Output still in the pipes reaches target.log; bounded, as a grandchild may hold the pipes open. */
  private drained(): Promise<unknown> {
    return Promise.race([this.outputEnded, new Promise((r) => setTimeout(r, 500))]);
  }

  killNow(): void {
    this.signalGroup('SIGKILL');
  }
}

/**
 * Pids of the processes of group `pgid` that are not zombies, from /proc (Linux); null where /proc
 * is not available. kill(-pgid, 0) alone would count zombies that nobody has reaped yet.
 */
export function livingGroupMembers(pgid: number): number[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const group = Number(fields[2]);
    if (group === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
  }
  return members;
}
