// These types are the one place report.json is written down: schema/report.schema.json and the field
// tables of docs/report.md are generated from them and their doc comments (`npm run docs`), and
// test/docs/ fails when a field has no doc comment or the generated files are out of date.

/**
 * report.json (`memprof/report@1`), written by `profile`, `run` and `demo`. Fields may be added,
 * never renamed or dropped. A figure the run set out to measure but could not is `null` (with the
 * reason in `notes`); a section the run did not set out to measure is absent.
 */
export interface Report {
  /** Always `memprof/report@1` (fields are added within this version, never renamed or dropped). */
  schema: 'memprof/report@1';
  /** The memprof that wrote the report. */
  tool: {
    /** Always `memprof`. */
    name: 'memprof';
    /** memprof's package version. */
    version: string;
  };
  /** The profiled process. Each field is null when the target did not say (e.g. it died first). */
  target: {
    /** Process id of the target. */
    pid: number | null;
    /** `process.version` of the target, e.g. `v20.20.2`. */
    nodeVersion: string | null;
    /** The target's command line (for `run`, as started, with the inspector flag memprof added). */
    command: string | null;
  };
  /** Wall time from the first to the last measurement of the target, seconds. */
  durationSec: number;
  /** Heap and RSS over the run, from the periodic samples (every `--interval`). */
  memory: {
    /** V8 heap used, bytes. */
    heapUsedBytes: MinMaxEnd;
    /** Resident set size of the target process, bytes. */
    rssBytes: MinMaxEnd;
  };
  /**
   * Memory per connection. Present with `--mcp`; without it, filled from the heap (instances of
   * `--connection-class`) when such instances exist, else absent.
   */
  connections?: ConnectionsSection;
  /** Heap growth under load and at steady state. */
  growth: GrowthSection;
  /** GC pauses of the target during the run. */
  gc: GcSection;
  /** Object pools the target publishes; `[]` when it publishes none. */
  pools: PoolFigures[];
  /**
   * Leak groups from the run's snapshots, largest first. Absent when the run took fewer than 3
   * snapshots; null when it set out to and the leak analysis could not run (see notes).
   */
  leaks?: LeakFigures[] | null;
  /** Classes whose count and size grew from every snapshot to the next (runs with 3+ snapshots). */
  growingClasses?: GrowingClass[];
  /** What the load generator did (`--mcp` only). */
  load?: LoadSection;
  /**
   * What a `--burst` did to memory and how the target recovered (runs with `--burst` only; see
   * src/analysis/burst.ts). Figures the run could not measure are null, with the reason in notes.
   */
  burst?: BurstSection;
  /** The checklist's results on this report (`[]` until checked; `profile`, `run` and `demo` fill it). */
  checks: CheckResult[];
  /** Why a figure is null, keyed by its path (e.g. `"gc.major.p99Ms": "no major GC during the run"`), and other remarks on the run. */
  notes?: Record<string, string>;
  /**
   * Several targets (a fleet: repeated `--target`, `--workers`): one entry per target process, each
   * measured on its own. Absent for one target. The top-level sections then hold the fleet's
   * figures: `memory`, `connections` and `load` summed over the instances, `growth`, `gc`, `pools`
   * and `leaks` those of the worst instance (named in `fleet.worst`), `checks` the worst instance's
   * row for each check (named in `checks[].instance`).
   */
  instances?: FleetInstance[];
  /** A fleet's totals and spread (present with `instances`). */
  fleet?: FleetSummary;
}

/** One target process of a fleet, measured as a single-target run would measure it. */
export interface FleetInstance {
  /** The instance's name in this report (`checks[].instance`, `fleet.worst`): `#K pid N`. */
  name: string;
  /** Its own report and files: `instances/K` under the run's output directory. */
  dir: string;
  /** The target process, as the top-level `target` of a single-target report. */
  target: Report['target'];
  /** `ok`: measured to the end; `exited`: the process died or its inspector went away during the run. */
  status: 'ok' | 'exited';
  /** With `exited`: when and how. */
  exited?: {
    /** Seconds from the fleet's start to the instance's last measurement. */
    atSec: number;
    /** How it went, e.g. `inspector connection lost: the target process is exiting`. */
    how: string;
  };
  /** Wall time from the instance's first to its last measurement, seconds. */
  durationSec: number;
  /** Heap and RSS of this instance over its run. */
  memory: Report['memory'];
  /** Memory per connection on this instance, from its own session count. */
  connections?: ConnectionsSection;
  /** Heap growth of this instance. */
  growth: GrowthSection;
  /** GC pauses of this instance. */
  gc: GcSection;
  /** Pools this instance publishes. */
  pools: PoolFigures[];
  /** Leak groups from this instance's snapshots (as the top-level `leaks` of one target). */
  leaks?: LeakFigures[] | null;
  /** What the load generator did against this instance. */
  load?: LoadSection;
  /** The checklist on this instance alone. */
  checks: CheckResult[];
  /** This instance's notes (see the top-level `notes`). */
  notes?: Record<string, string>;
}

/** A fleet's totals and how evenly the load fell on its instances. */
export interface FleetSummary {
  /** Target processes profiled. */
  instances: number;
  /** Those measured to the end (`status: ok`). */
  ok: number;
  /** Those that died or were lost during the run (`status: exited`). */
  exited: number;
  /** Sessions open on each instance at its top step, in `instances` order (null: not measured). */
  topConnections: Array<number | null>;
  /** The instance with the most sessions at its top step; null without per-instance counts. */
  mostLoaded: string | null;
  /**
   * Imbalance of the load: most sessions on one instance over the mean per instance, minus 1
   * (0: even; 0.25: the most loaded carries 25 % more than its share). Null without counts.
   */
  imbalance: number | null;
  /** Sum of the instances' steady growth, bytes per hour (null when an instance's is null). */
  steadyBytesPerHour?: number | null;
  /** Sum of the instances' growth under load, bytes per hour (null when an instance's is null). */
  loadBytesPerHour: number | null;
  /** The instance whose section is at the top level, per section (null: no instance measured it). */
  worst: {
    /** `growth`: the highest steady growth (else growth under load). */
    growth: string | null;
    /** `gc`: the longest p99 major pause (else overhead). */
    gc: string | null;
    /** `pools`: the lowest reuse ratio. */
    pools: string | null;
    /** `leaks`: the most bytes retained by leak groups. */
    leaks: string | null;
  };
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

/** Heap growth: slopes of heap used after GC, with how each was fitted. */
export interface GrowthSection {
  /** Slope of heap used after GC during the load phase (ramp), bytes per hour. */
  loadBytesPerHour: number | null;
  /**
   * The same once connections stop changing (the settled window of `--hold`), bytes per hour.
   * Absent when a run with load had no --hold (steady state not set out to measure).
   */
  steadyBytesPerHour?: number | null;
  /** How the load slope was fitted and how well. */
  loadFit?: GrowthFitQuality;
  /** How the steady slope was fitted and how well. */
  steadyFit?: GrowthFitQuality;
  /** How much of the steady growth the leak groups explain (from their bytesPerHour). */
  attribution?: GrowthAttribution;
  /**
   * Heap retained per tool call: the steady growth over the settled window divided by the calls
   * answered in it (runs with a hold); null with the reason when no call was answered or the
   * growth was not measured.
   */
  bytesPerRequest?: number | null;
  /** Tool calls answered in the settled window (the divisor of bytesPerRequest). */
  requestsInWindow?: number | null;
}

/** How much of the steady growth the leak groups explain. */
export interface GrowthAttribution {
  /** Sum of the leak groups' growth rates, bytes/hour. */
  explainedBytesPerHour: number | null;
  /** Steady growth minus what the groups explain, bytes/hour. */
  unexplainedBytesPerHour: number | null;
  /** explained / steady growth (0..1); null when the growth is flat or unmeasured. */
  share: number | null;
}

/** How a growth slope was fitted. */
export interface GrowthFitQuality {
  /**
   * afterGc: forced-GC samples; afterMajorGc: the heap as the target's own major GCs left it (with
   * forced points at the window's edges), when forcing more would exceed --max-pause; gcMinima:
   * heap minima between major GCs; windowMinima: per-window minima.
   */
  method: 'afterGc' | 'afterMajorGc' | 'gcMinima' | 'windowMinima' | null;
  /** Points in the fit. */
  n: number;
  /** Coefficient of determination of the fit (0..1). */
  r2: number | null;
  /** Time the fit spans, seconds. */
  windowSec: number | null;
  /**
   * Standard error of the slope, bytes/hour: a slope within ±2 of these is indistinguishable from
   * flat. Widened by t(0.975, dof)/2, so ±2 of them is a 95 % interval also with few points.
   */
  stdErrBytesPerHour: number | null;
  /** Width of each minima window (windowMinima only), seconds. */
  minimaWindowSec: number | null;
  /** Why the slope is null. */
  reason: string | null;
  /**
   * How the slope was fitted through the points: `robustLine` least squares after setting aside
   * outliers (beyond 3.5 robust SDs of a Theil–Sen line); `robustStep` the same with one level
   * shift, when two levels fit far better than a line (the slope is then that of the levels).
   */
  estimator?: 'robustLine' | 'robustStep';
  /** Points set aside as outliers (not in the fit; `n` counts them). */
  outliers?: number;
  /** The one-off level shift of `robustStep`; null with `robustLine`. */
  step?: {
    /** Seconds from the first point to the first at the new level. */
    atSec: number;
    /** Size of the shift, bytes. */
    bytes: number;
  } | null;
  /** What the afterGc points measure (steady: heap after GC less what is V8's own, see analysis/code-adjusted.ts). */
  measure?: string;
  /** Bytes of heap per byte of V8 code statistics, fitted (null: code did not vary enough to fit it). */
  codeFactor?: number | null;
  /** Steady fit: seconds from the start of the steady phase to the settled window; null when fitted over the whole phase. */
  settleSec?: number | null;
  /** The afterGc points were all taken with the load quiesced. */
  quiesced?: boolean;
}

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

/** One pool the target publishes (`globalThis[Symbol.for('memprof.pools')]` or `--pool-expr`). */
export interface PoolFigures {
  /** The pool's name (its key in the published Map). */
  name: string;
  /** Objects created: over the measured window (`windowed`): end minus the reading when measurement started; else as read at the end. */
  created: number | null;
  /** Objects reused, over the same window as `created`. */
  reused: number | null;
  /** reused / (created + reused), over the same counts (0..1). */
  reuseRatio: number | null;
  /** Most objects in use at once, as read at the end. */
  peakInUse: number | null;
  /** Objects in use, as read at the end. */
  inUse?: number | null;
  /** created/reused/reuseRatio count the measured window only (counters were read when it started). */
  windowed?: boolean;
  /** The counters as read at the end (warm-up and all). */
  total?: {
    /** Objects created since the target started. */
    created: number | null;
    /** Objects reused since the target started. */
    reused: number | null;
    /** reused / (created + reused) over these totals (0..1). */
    reuseRatio: number | null;
  };
}

/** One leak group: objects of one class held the same way, that outlived the load. */
export interface LeakFigures {
  /** Class of the leaked objects (DevTools' Summary name). */
  name: string;
  /** Leaked objects in the group. */
  count: number;
  /** Bytes they retain in the last snapshot. */
  retainedSize: number;
  /** Retained bytes of the group's objects created after the middle snapshot and still alive: the leak still growing. */
  growthBytes: number | null;
  /** From a GC root to one leaked object, node names and edge names interleaved. */
  path: string[];
  /**
   * Runs with load only. 'outlives-sessions': still alive after every session closed;
   * 'grows-with-live-sessions': piles up while sessions are open, freed when they close;
   * 'allocation-site': found by the sampling heap profiler (see `site`).
   */
  kind?: 'outlives-sessions' | 'grows-with-live-sessions' | 'allocation-site';
  /**
   * kind 'allocation-site' (found without a snapshot, by V8's sampling heap profiler over the
   * steady window): where the growing memory was allocated. For these entries `name` is the
   * site's function, `count` the live samples at the window's end (each stands for about one
   * sampling interval of bytes; objects are not counted), `retainedSize` the estimated live
   * (shallow, not retained) bytes allocated there, `growthBytes` their growth over the window,
   * and `path` the stack as text, innermost first. Rates are in bytes only.
   */
  site?: AllocationSite;
  /** kind 'allocation-site': the site and its callers, innermost first (Node internals and memprof's agent left out). */
  stack?: AllocationSite[];
  /** kind 'allocation-site': are the site's sampled bytes still there after every session closed? Null when not measured. */
  outlivesSessions?: boolean | null;
  /** Growth of the group's retained size over the steady window, bytes per hour. */
  bytesPerHour?: number | null;
  /** The same per tool call answered, bytes; null when no request was answered. */
  bytesPerRequest?: number | null;
  /** Objects added per tool call answered; null when no request was answered. */
  objectsPerRequest?: number | null;
  /** Objects added per hour over the steady window. */
  objectsPerHour?: number | null;
}

/** A class that grew from every snapshot to the next. */
export interface GrowingClass {
  /** Class name (DevTools' Summary name). */
  name: string;
  /** Instances per snapshot, in order. */
  counts: number[];
  /** Shallow size of the class per snapshot, in order, bytes. */
  selfSizes: number[];
  /** Shallow size in the last snapshot minus the first, bytes. */
  growthBytes: number;
}

/** Latency percentiles of one kind of request, ms; null when no request of the kind completed. */
export interface LatencyFigures {
  /** Median, ms. */
  p50: number | null;
  /** 90th percentile, ms. */
  p90: number | null;
  /** 99th percentile, ms. */
  p99: number | null;
  /** Slowest, ms. */
  max: number | null;
}

/** Standard errors of the load figures: the run's own noise. */
export interface LoadStdErr {
  /** Of connectPerSec: counting noise, sqrt(sessions opened) / seconds spent opening. */
  connectPerSec: number | null;
  /** Of msgPerSec: counting noise, sqrt(tool calls answered) / seconds they were sent over. */
  msgPerSec: number | null;
  /** Of latencyMs.p99, ms: a quarter of the order-statistics 95 % band of the p99; null below 20 calls. */
  latencyP99Ms: number | null;
}

/** What a `--burst` did: memory before, during and after it, how long the heap took to come back, and the load around it. */
export interface BurstSection {
  /** Extra sessions opened per second during the burst (`--burst RATE:...`). */
  rate: number;
  /** How long the burst lasted as asked (`--burst ...:DURATION`), seconds. */
  durationSec: number;
  /** When the burst began, seconds from the start of the run (the start of the hold). */
  startSec: number;
  /** The window after the burst in which recovery is measured (`--recovery`), seconds. */
  recoveryWindowSec: number;
  /** Heap after GC within this of the level before counts as recovered, bytes: the larger of 1 MiB and 10 % of the burst's rise. */
  toleranceBytes: number | null;
  /** Heap used after a forced full GC and RSS, with the base sessions open just before the burst (the top step). */
  before: BurstMemory;
  /** The highest heap used and RSS of the periodic samples during the burst (not after GC: what the process needed). */
  peak: BurstMemory;
  /** Heap used after a forced full GC and RSS at the end of the recovery window, the burst's sessions closed. */
  after: BurstMemory;
  /**
   * From the burst's end to the first point of the window from which heap after GC stays within
   * toleranceBytes of the level before, seconds (measured on the window's points); null when it
   * never came back within the window (notes say whether the window was too short to decide).
   */
  recoverySec: number | null;
  /** What the burst left behind: heap after GC at the end of the window minus before, bytes (negative: less than before). */
  retainedBytes: number | null;
  /** True when the window ended with heap after GC still falling (a longer `--recovery` may see it come back). */
  stillFalling?: boolean;
  /** The burst's sessions. */
  sessions: {
    /** Burst sessions opened (initialize answered). */
    opened: number;
    /** Burst opens that failed. */
    failed: number;
    /** Burst sessions closed (DELETE answered) when it ended. */
    closed: number;
  };
  /** The target's own GC pauses while the burst was on, by kind (memprof's forced GCs left out). */
  gc: {
    /** Scavenges. */
    minor: GcKindStats;
    /** Mark-compacts. */
    major: GcKindStats;
    /** Incremental-marking steps. */
    incremental: GcKindStats;
    /** Weak-callback passes. */
    weak: GcKindStats;
  };
  /** Tool-call latency before the burst (the ramp) and while it was on, ms (null without `--msg-rate`). */
  latencyMs: {
    /** Before the burst. */
    before: LatencyPair;
    /** During the burst. */
    during: LatencyPair;
  };
  /** The recovery window's points: heap after GC (and RSS) at seconds after the burst's end. */
  points: Array<{
    /** Seconds after the burst's end. */
    sec: number;
    /** Heap used after a forced full GC, bytes. */
    heapUsedBytes: number;
    /** RSS at the same moment, bytes. */
    rssBytes: number;
  }>;
}

/** Heap used and RSS at one moment of a burst, bytes; null when not measured. */
export interface BurstMemory {
  /** V8 heap used, bytes. */
  heapUsedBytes: number | null;
  /** Resident set size, bytes. */
  rssBytes: number | null;
}

/** Median and 99th percentile latency, ms; null when no call completed. */
export interface LatencyPair {
  /** Median, ms. */
  p50: number | null;
  /** 99th percentile, ms. */
  p99: number | null;
}

/** What memprof's load generator did and measured. */
export interface LoadSection {
  /** Sessions opened per second while opening (hold time excluded). */
  connectPerSec: number | null;
  /** Tool calls per second over the time they were sent; null with `--msg-rate 0`. */
  msgPerSec: number | null;
  /** Latency of the tool calls, ms. */
  latencyMs: {
    /** Median, ms. */
    p50: number | null;
    /** 99th percentile, ms. */
    p99: number | null;
  };
  /** Requests that failed, of every kind (see errorsByKind). */
  errors: number;
  /** `stdio`: one session over the target's stdin/stdout (run --stdio); absent for Streamable HTTP. */
  transport?: 'stdio';
  /** stdio: non-blank stdout lines that were not JSON-RPC, and the first few of them. */
  nonProtocolLines?: {
    /** Lines counted. */
    count: number;
    /** The first few, 200 characters each. */
    first: string[];
  };
  /** Sessions opened (initialize answered). */
  sessionsOpened?: number;
  /** Sessions closed (DELETE sent). */
  sessionsClosed?: number;
  /** Tool calls answered. */
  requests?: number;
  /** Most sessions open at once. */
  peakOpen?: number;
  /** Opens that failed (initialize or notifications/initialized). */
  sessionsFailed?: number;
  /** Tool calls `--msg-rate` asked for but not sent because too many were in flight (client-side backpressure). */
  requestsMissed?: number;
  /** Latency of initialize (session open), ms. */
  initializeLatencyMs?: LatencyFigures;
  /**
   * Errors by kind (e.g. `http_503`, `econnreset`, `jsonrpc_error`, `timeout`; a hostile or broken
   * server also shows as `malformed_reply`, `slow_reply`, `sse_unended`, `reply_too_large`,
   * `truncated_reply`): the full list is LoadSummary.errorsByKind's (docs/formats.md, memprof load --json).
   */
  errorsByKind?: Record<string, number>;
  /** The tool that was called; null when none was. */
  tool?: string | null;
  /** The load was cut short (Ctrl-C, or the target went away). */
  interrupted?: boolean;
  /** Standard errors of connectPerSec, msgPerSec and latencyMs.p99 (the run's own noise; the baseline comparison weighs differences against them). */
  stdErr?: LoadStdErr;
}

/** One row of the checklist (or of the regression gate against a baseline). */
export interface CheckResult {
  /** The figure checked, as a report path with pool names (`pools[sessions].reuseRatio`). */
  id: string;
  /** What the figure is, in words. */
  description: string;
  /** The limit as written in the config (`< 2MiB`), or the baseline rule. */
  limit: string;
  /** The figure, in its own unit (see `unit`); null when it was not measured. */
  measured: number | null;
  /** True only for a pass: a fail, an inconclusive figure and a null figure are false; n/a is true. */
  pass: boolean;
  /** Why it failed or was not applicable (null figure, absent section, baseline regression). */
  reason?: string;
  /** `inconclusive`: the figure's 2σ band straddles the limit; not a pass (pass is false). */
  status?: 'pass' | 'fail' | 'n/a' | 'inconclusive';
  /** The config path this row comes from (`pools.*.reuseRatio` for `pools[sessions].reuseRatio`). */
  path?: string;
  /** What the figure measures, so it can be printed in human units. */
  unit?: 'bytes' | 'bytesPerHour' | 'ms' | 'sec' | 'pct' | 'ratio' | 'count' | 'number';
  /** The comparison of the limit. */
  op?: '<' | '<=' | '>' | '>=' | '==' | '!=';
  /** The limit in the figure's own unit (bytes, ms, ...). */
  limitValue?: number;
  /** `limit`: the checklist; `baseline`: the regression gate against a baseline report. */
  comparison?: 'limit' | 'baseline';
  /** The baseline's figure (baseline rows only); null when the baseline has none. */
  baseline?: number | null;
  /**
   * Standard error of `measured` (figures from a fit, e.g. growth), in its unit. Such a figure
   * passes a limit only when measured ± 2 standard errors is on the passing side of it.
   */
  stdErr?: number;
  /** Fleet reports: the instance this row comes from, the worst of the fleet for this check (`instances[].name`). */
  instance?: string;
}
