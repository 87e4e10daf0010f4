/** One load step: the sessions open and the memory measured there, after a forced full GC. */
export interface ConnectionStep {
  /** Sessions open at the step (counted by memprof's load generator, or instances of the connection class). */
  connections: number;
  /** Heap used after a forced full GC, bytes. */
  heapUsedBytes: number | null;
  /** RSS at the same moment, bytes. */
  rssBytes: number | null;
  /** heapUsed / connections, bytes: the naive figure, which includes fixed overhead / N. */
  bytesPerConnection: number | null;
}

/** Memory per connection: the steps of the ramp and the line fitted through them. */
export interface ConnectionsSection {
  /** One row per load step. */
  steps: ConnectionStep[];
  /** Slope of heapUsed against connections (least squares over the steps), bytes per connection. */
  marginalBytesPerConnection: number | null;
  /** Intercept of the same fit, bytes: the heap with no connection. */
  fixedBytes: number | null;
  /** Coefficient of determination of the fit (0..1); null when the fit is null or heap was identical at every step. */
  r2: number | null;
  /** Retained size of each connection object, from the snapshot at the top step; null when it could not be measured (see notes). */
  retained?: RetainedPerConnection | null;
  /** The same fit over RSS (what the OS sees; `plan` uses it). Null when RSS was not measured at 2+ counts. */
  rss?: LinearMemoryFit | null;
  /** What one typical session holds, by class (the instance of median retained size in the top step's snapshot). */
  typicalSession?: SessionBreakdown;
  /**
   * What one session is made of by allocation site, from V8's sampling heap profiler (live bytes
   * sampled at each ramp step, fitted against the sessions open). Filled when the run sampled
   * (`--sampling`, or by default when no full snapshot is taken); null when it sampled but could
   * not fit (fewer than two session counts; see notes).
   */
  sessionSites?: SessionSites | null;
  /**
   * Memory at a target scale: fixed + marginal × N for `--connections N` (default: the top step),
   * from the fits above, with the fit's uncertainty. Null when the fit is null (see notes).
   */
  projected?: ProjectedMemory | null;
  /**
   * projected.projectedBytes, where the checklist names it (`connections.projectedBytes < 200GiB`):
   * memory at `--connections N`, RSS when fitted, else heap, bytes; null when the fit is null.
   */
  projectedBytes?: number | null;
}

/** Memory projected to N connections from the heap and RSS fits over the steps. */
export interface ProjectedMemory {
  /** The connection count projected to (`--connections N`, else the top step). */
  connections: number;
  /** Heap used at N: fixedBytes + marginalBytesPerConnection × N, bytes. */
  heapBytes: number;
  /** Standard error of heapBytes from the fit (prediction of the line at N), bytes; null with fewer than 3 steps. */
  heapStdErrBytes: number | null;
  /** RSS at N from the RSS fit, bytes; null when RSS was not fitted. */
  rssBytes: number | null;
  /** Standard error of rssBytes, bytes; null with fewer than 3 steps or no RSS fit. */
  rssStdErrBytes: number | null;
  /** What the checklist's `connections.projectedBytes` names: rssBytes (what the OS must provide), else heapBytes. */
  projectedBytes: number;
  /** Standard error of projectedBytes, bytes (a check on it is inconclusive when ±2 of these straddle the limit). */
  projectedStdErrBytes: number | null;
  /** N is beyond the top step measured: the line is extrapolated (memory per connection assumed constant). */
  extrapolated: boolean;
}

/** An allocation site: the function that allocated, where it is defined. */
export interface AllocationSite {
  /** Function name as V8 reports it (`(anonymous)` for an unnamed function). */
  functionName: string;
  /** Script URL (a `file://` URL or a path; `node:...` for a Node built-in module). */
  url: string;
  /** Line of the function's definition, 1-based (V8's sampling profiler attributes to functions, not to lines within them). */
  line: number;
  /** Column of the function's definition, 1-based. */
  column: number;
}

/** Per-session memory by allocation site, estimated from sampled allocations. */
export interface SessionSites {
  /** How the figures were measured: V8's sampling heap profiler, live objects only. */
  method: 'sampling';
  /** Mean bytes between samples (`--sampling-interval`). */
  samplingIntervalBytes: number;
  /** Slope of all sampled live bytes against the sessions open, bytes per session. */
  bytesPerSession: number;
  /** Session counts the fit used (the idle baseline and each ramp step). */
  n: number;
  /** The sites whose live bytes grow with the sessions, largest first (at most 15). */
  sites: Array<{
    /** Where the memory was allocated (the first frame that is neither Node's nor memprof's). */
    site: AllocationSite;
    /** The site and its callers, innermost first (at most 8 frames, Node internals left out). */
    stack: AllocationSite[];
    /** Slope of the site's sampled live bytes against the sessions open, bytes per session. */
    bytesPerSession: number;
    /** Share of bytesPerSession (0..1). */
    share: number;
  }>;
}

/** A least-squares line of memory against connections. */
export interface LinearMemoryFit {
  /** Slope, bytes per connection. */
  marginalBytesPerConnection: number;
  /** Intercept, bytes. */
  fixedBytes: number;
  /** Coefficient of determination (0..1). */
  r2: number | null;
  /** Steps the fit used. */
  n: number;
}

/** Distribution of the retained size of each connection object (one per open session) in one snapshot. */
export interface RetainedPerConnection {
  /** The connection class measured (e.g. `StreamableHTTPServerTransport`). */
  class: string;
  /** Instances found. */
  count: number;
  /** Mean retained size, bytes. */
  meanBytes: number | null;
  /** Median retained size (nearest rank), bytes. */
  p50Bytes: number | null;
  /** 90th percentile retained size (nearest rank), bytes. */
  p90Bytes: number | null;
  /** Largest retained size, bytes. */
  maxBytes: number | null;
}

/** What one connection object keeps alive by itself. */
export interface SessionBreakdown {
  /** The connection class. */
  class: string;
  /** The instance chosen: the one whose retained size is the median, bytes. */
  retainedBytes: number;
  /** Retained size of what this session alone keeps alive, grouped by class, largest first. */
  holds: Array<{
    /** Class name (DevTools' Summary name). */
    name: string;
    /** Objects of the class in the session's dominator subtree. */
    count: number;
    /** Their retained size, bytes. */
    retainedBytes: number;
  }>;
}
