import type { LoadFlags } from './load-flags.js';

/** Flags of `profile` and `run` (CONTRACT.md, "profile / run options"). */
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
  /** The program-wide --debug (not a flag of these commands): parse notes on stderr. */
  debug?: boolean;
}
