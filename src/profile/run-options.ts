import type { ProfileEvent } from '../model/events.js';
import type { LoadOptions } from '../load/types.js';
import type { SamplingMode } from './sampling-capture.js';

/** What a profile run is asked to do (profile/options.ts makes it from the flags) and its I/O. */

/** The MCP SDK's server transports: one instance per open session. */
export const DEFAULT_CONNECTION_CLASSES = ['StreamableHTTPServerTransport', 'SSEServerTransport', 'StdioServerTransport'];

export interface ProfileOptions {
  outDir: string;
  intervalMs: number;
  /** Without load: how long to run (undefined: until interrupted). */
  durationMs?: number;
  /** Heap snapshots to take (0: none; they freeze the target). See snapshot-plan.ts for which. */
  snapshots: number;
  connectionClasses: string[];
  poolExpr?: string;
  /** Drive MCP load (--mcp); `signal` is supplied by the profiler. */
  load?: Omit<LoadOptions, 'signal'>;
  /** Take snapshots even when the target looks short of memory for them. */
  force?: boolean;
  /**
   * With load: before measuring, open the top step of sessions (with tool calls) and close them
   * once, so first-use allocations (JIT, pools, caches, lazily created module state) are not taken
   * for per-connection memory or leaks.
   */
  warmup?: boolean;
  /** How long the warm-up's sessions exchange tool calls, ms (default: see warmup.ts). */
  warmupCallsMs?: number;
  /** With a hold: from the hold's start to the settled window, ms (default: see steady-plan.ts). */
  settleMs?: number;
  /** With a hold: after it, keep the sessions open this long with no traffic (more quiet points in the window). */
  idleHoldMs?: number;
  /** With --burst: how long to keep measuring heap after GC once the burst ends (default DEFAULT_RECOVERY_MS). */
  recoveryMs?: number;
  /** --connections N: connections.projected at N (default: the top step). */
  projectTo?: number;
  /**
   * Once a forced full GC has frozen the target longer than this (ms), the steady window's inner
   * points (and the idle hold's) are not forced: growth is read from the target's own major GCs
   * between forced edges. Undefined: no budget.
   */
  maxPauseMs?: number;
  /** The load generator; injected so the profiler does not depend on how it is built. */
  runLoad?: typeof import('../load/run-load.js').runLoad;
  /** --debug: what the snapshot parser tolerated goes to the progress lines. */
  debug?: boolean;
  /**
   * With load: V8's sampling heap profiler (growth and leaks by allocation site, per-session
   * sites). 'auto' (default): from the start with --snapshots 0, else from the first snapshot
   * skipped for lack of memory; 'on': always, its leaks reported beside the snapshots'; 'off': never.
   */
  sampling?: SamplingMode;
  /** Mean bytes between samples (default DEFAULT_SAMPLING_INTERVAL). */
  samplingIntervalBytes?: number;
  /**
   * A fleet: snapshots of its instances are taken one at a time (each freezes its target), so the
   * fleet is never frozen whole; the other instances' samples go on meanwhile.
   */
  snapshotLock?: <T>(take: () => Promise<T>) => Promise<T>;
}

export interface ProfileIo {
  /** Ctrl-C. */
  signal: AbortSignal;
  /** Progress lines for the user (stderr); never the target's stdout. */
  progress(line: string): void;
  /**
   * Every event of the run as it happens (model/events.ts): samples, GCs, phases, steps, snapshot
   * and load progress. The events that have a plain line also go to `progress`.
   */
  onEvent?(e: ProfileEvent): void;
  /** Resolves when the target is known to be gone by other means (run: the child exited). */
  targetGone?: Promise<string>;
}
