import type { LoadFlags } from './load-flags.js';

/**
 * A forced full GC of a few hundred MB freezes the target for tens of ms; of several GB, for
 * seconds. Past a second, a profiler is the slowest thing in production: measure without it.
 */
export const DEFAULT_MAX_PAUSE_MS = 1000;

/** Flags of `profile` and `run` (docs/cli.md, "profile" and "run"). */
export interface ProfileFlags extends LoadFlags {
  duration?: number;
  interval: number;
  /** Undefined: what the run's leak method needs (see profile/snapshot-plan.ts). */
  snapshots?: number;
  connectionClass?: string;
  poolExpr?: string;
  out: string;
  allowRemote?: boolean;
  force?: boolean;
  verbose?: boolean;
  startupTimeout: number;
  warmup?: boolean;
  idleHold?: number;
  settle?: number;
  /** --recovery: after a --burst, how long heap after GC is measured for it to come back, ms. */
  recovery?: number;
  /** --connections: project memory to this many connections (connections.projected). */
  connections?: number;
  /** --max-pause: the longest forced-GC pause the steady window's inner points may cost, ms. */
  maxPause?: number;
  /** --config: the checks config (default: memprof.config.json in the working directory, else built-in). */
  config?: string;
  /** The program-wide --debug (not a flag of these commands): parse notes on stderr. */
  debug?: boolean;
}
