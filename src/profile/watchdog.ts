import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * A dead man's switch for the process group `memprof run` starts: a tiny shell, in a session of its
 * own, that reads memprof's end of a pipe. memprof writes `release` once it has stopped the group
 * itself; if memprof dies first, whatever kills it (SIGKILL, the OOM killer, a CI timeout), the
 * kernel closes the pipe and the shell stops the group: SIGTERM, then SIGKILL after at most
 * `GRACE_TENTHS` tenths of a second. A shell, not a second Node process: it costs a few hundred
 * KiB, and no JavaScript of memprof's has to run for it to fire.
 */
export interface Watchdog {
  /** The group was stopped by memprof: the watchdog exits without signalling anything. */
  release(): void;
  readonly pid: number | undefined;
}

/** Tenths of a second between SIGTERM and SIGKILL (a server's graceful shutdown gets 2 s). */
const GRACE_TENTHS = 20;

// $1: the process group. `read` returns on a line or at EOF (memprof gone). `kill -0 -PGID`
// succeeds while any member (zombies included, until init reaps them) exists; dash's kill takes
// no `--`, so the negative pid follows the signal directly.
const SCRIPT = `
read -r line
[ "$line" = release ] && exit 0
kill -TERM -"$1" 2>/dev/null || exit 0
i=0
while [ "$i" -lt ${GRACE_TENTHS} ] && kill -0 -"$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -KILL -"$1" 2>/dev/null
exit 0
`;

/**
 * Starts the watchdog of process group `pgid` (the target's pid: it was spawned detached). Never
 * throws: without /bin/sh the run goes on, protected by memprof's own stop paths only.
 */
export function startWatchdog(pgid: number): Watchdog {
  let child: ChildProcess;
  try {
    // detached: its own session, so a terminal's Ctrl-C (which memprof handles) does not kill it.
    child = spawn('/bin/sh', ['-c', SCRIPT, 'memprof-watchdog', String(pgid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return { release() {}, pid: undefined };
  }
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  // memprof may exit while the watchdog waits: neither the process nor the pipe keeps it alive.
  child.unref();
  (child.stdin as unknown as Socket | null)?.unref?.();
  let released = false;
  return {
    pid: child.pid,
    release() {
      if (released) return;
      released = true;
      child.stdin?.end('release\n');
    },
  };
}
