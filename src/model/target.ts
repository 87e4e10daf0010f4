/** The profiled process. Each field is null when the target did not say (e.g. it died first). */
export interface TargetInfo {
  /** Process id of the target. */
  pid: number | null;
  /** `process.version` of the target, e.g. `v20.20.2`. */
  nodeVersion: string | null;
  /** The target's command line (for `run`, as started, with the inspector flag memprof added). */
  command: string | null;
}

/** Heap and RSS over the run, from the periodic samples (every `--interval`). */
export interface MemorySection {
  /** V8 heap used, bytes. */
  heapUsedBytes: MinMaxEnd;
  /** Resident set size of the target process, bytes. */
  rssBytes: MinMaxEnd;
}

/** A figure's first and last reading and its peak over the run; all null when no sample was taken. */
export interface MinMaxEnd {
  /** The first reading. */
  start: number | null;
  /** The last reading. */
  end: number | null;
  /** The largest reading. */
  peak: number | null;
}
