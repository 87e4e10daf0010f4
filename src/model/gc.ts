/** Pauses of one kind of GC. avg/p99/max are null when there was none (never 0 ms). */
export interface GcKindStats {
  /** Pauses counted. */
  count: number;
  /** Mean pause, ms. */
  avgMs: number | null;
  /** 99th percentile pause (nearest rank: with fewer than 100 pauses, the longest), ms. */
  p99Ms: number | null;
  /** Longest pause, ms. */
  maxMs: number | null;
  /**
   * gc.major only: `natural` (the target's own mark-compacts), or `forced` when the run saw none
   * and the figures are memprof's forced full GCs (a full non-incremental mark-compact of the same
   * heap: an upper bound of the atomic pause).
   */
  source?: 'natural' | 'forced';
}

/** GC pauses of the target during the run, by kind; memprof's own forced GCs apart. */
export interface GcSection {
  /** Scavenges (young generation). */
  minor: GcKindStats;
  /** Mark-compacts (full GC). */
  major: GcKindStats;
  /** Sum of every natural pause (minor, major, incremental, weak), ms. */
  totalMs: number | null;
  /** totalMs as a percentage (0..100) of the run's wall time. */
  overheadPct: number | null;
  /** GC pauses of the full GCs memprof forced itself to measure (the observer effect); excluded from the figures above. */
  forced?: ForcedGcStats;
  /**
   * GC pauses forced by another memprof run profiling the target at the same time (attached with
   * --force): neither the target's own nor this run's; excluded from every figure above. Present
   * only when there were some.
   */
  forcedByOthers?: ForcedGcStats;
  /** Incremental-marking steps: in totalMs/overheadPct, not in minor/major. */
  incremental?: GcKindStats;
  /** Weak-callback passes: in totalMs/overheadPct, not in minor/major. */
  weak?: GcKindStats;
}

/** The full GCs memprof forced to measure (the observer effect). */
export interface ForcedGcStats {
  /** GC pauses within memprof's forced full GCs (one forced GC may be several mark-compacts). */
  count: number;
  /** How long they froze the target in all, ms. */
  totalMs: number | null;
  /** The longest of them, ms; null when none. */
  maxMs?: number | null;
  /** totalMs as % of the run's wall time; null when that is unknown. */
  overheadPct?: number | null;
}
