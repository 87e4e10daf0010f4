/**
 * report.json (`memprof/report@1`), exactly as ../shared/CONTRACT.md fixes it. Fields may be added,
 * never renamed or dropped. A figure the run set out to measure but could not is `null`; a section
 * the run did not set out to measure is absent (optional here).
 */
export interface Report {
  schema: 'memprof/report@1';
  tool: { name: 'memprof'; version: string };
  target: { pid: number | null; nodeVersion: string | null; command: string | null };
  durationSec: number;
  memory: {
    heapUsedBytes: MinMaxEnd;
    rssBytes: MinMaxEnd;
  };
  connections?: ConnectionsSection;
  growth: GrowthSection;
  gc: GcSection;
  pools: PoolFigures[];
  leaks?: LeakFigures[] | null;
  load?: LoadSection;
  checks: CheckResult[];
  /** Why a figure is null, keyed by its path (e.g. `"gc.major.p99Ms": "no major GC during the run"`). */
  notes?: Record<string, string>;
}

export interface MinMaxEnd {
  start: number | null;
  end: number | null;
  peak: number | null;
}

export interface ConnectionStep {
  connections: number;
  heapUsedBytes: number | null;
  rssBytes: number | null;
  /** heapUsed / connections: the naive figure, which includes fixed overhead / N. */
  bytesPerConnection: number | null;
}

export interface ConnectionsSection {
  steps: ConnectionStep[];
  /** Slope of heapUsed against connections (least squares over the steps). */
  marginalBytesPerConnection: number | null;
  /** Intercept of the same fit. */
  fixedBytes: number | null;
  r2: number | null;
  retained?: RetainedPerConnection | null;
  /** The same fit over RSS (what the OS sees; `plan` uses it). Null when RSS was not measured at 2+ counts. */
  rss?: LinearMemoryFit | null;
}

export interface LinearMemoryFit {
  marginalBytesPerConnection: number;
  fixedBytes: number;
  r2: number | null;
  /** Steps the fit used. */
  n: number;
}

export interface RetainedPerConnection {
  class: string;
  count: number;
  meanBytes: number | null;
  p50Bytes: number | null;
  p90Bytes: number | null;
  maxBytes: number | null;
}

export interface GrowthSection {
  loadBytesPerHour: number | null;
  steadyBytesPerHour: number | null;
  /** How each slope was fitted and how well (added by memprof's analysis; optional for readers). */
  loadFit?: GrowthFitQuality;
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

export interface GrowthAttribution {
  /** Sum of the leak groups' growth rates, bytes/hour. */
  explainedBytesPerHour: number | null;
  /** Steady growth minus what the groups explain, bytes/hour. */
  unexplainedBytesPerHour: number | null;
  /** explained / steady growth (0..1); null when the growth is flat or unmeasured. */
  share: number | null;
}

export interface GrowthFitQuality {
  /** afterGc: forced-GC samples; gcMinima: heap minima between major GCs; windowMinima: per-window minima. */
  method: 'afterGc' | 'gcMinima' | 'windowMinima' | null;
  /** Points in the fit. */
  n: number;
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
  /** The one-off level shift of `robustStep`: seconds from the first point to the first at the new level, and its size. */
  step?: { atSec: number; bytes: number   /** What the afterGc points measure (steady: heap after GC less what is V8's own, see analysis/code-adjusted.ts). */
  measure?: string;
  /** Bytes of heap per byte of V8 code statistics, fitted (null: code did not vary enough to fit it). */
  codeFactor?: number | null;
} | null;
  /** Steady fit: seconds from the start of the steady phase to the settled window; null when fitted over the whole phase. */
  settleSec?: number | null;
  /** The afterGc points were all taken with the load quiesced. */
  quiesced?: boolean;
}

export interface GcKindStats {
  count: number;
  avgMs: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /**
   * gc.major only: `natural` (the target's own mark-compacts), or `forced` when the run saw none
   * and the figures are memprof's forced full GCs (a full non-incremental mark-compact of the same
   * heap: an upper bound of the atomic pause).
   */
  source?: 'natural' | 'forced';
}

export interface GcSection {
  minor: GcKindStats;
  major: GcKindStats;
  totalMs: number | null;
  overheadPct: number | null;
  /** GC pauses of the full GCs memprof forced itself to measure (the observer effect); excluded from the figures above. */
  forced?: ForcedGcStats;
  /** Incremental-marking steps and weak-callback passes: in totalMs/overheadPct, not in minor/major. */
  incremental?: GcKindStats;
  weak?: GcKindStats;
}

export interface ForcedGcStats {
  /** GC pauses within memprof's forced full GCs (one forced GC may be several mark-compacts). */
  count: number;
  /** How long they froze the target in all. */
  totalMs: number | null;
  /** The longest of them; null when none. */
  maxMs?: number | null;
  /** totalMs as % of the run's wall time; null when that is unknown. */
  overheadPct?: number | null;
}

export interface PoolFigures {
  name: string;
  /** Over the measured window (`windowed`): end minus the reading when measurement started; else as read at the end. */
  created: number | null;
  reused: number | null;
  /** reused / (created + reused), over the same counts. */
  reuseRatio: number | null;
  /** As read at the end. */
  peakInUse: number | null;
  inUse?: number | null;
  /** created/reused/reuseRatio count the measured window only (counters were read when it started). */
  windowed?: boolean;
  /** The counters as read at the end (warm-up and all). */
  total?: { created: number | null; reused: number | null; reuseRatio: number | null };
}

export interface LeakFigures {
  name: string;
  count: number;
  retainedSize: number;
  growthBytes: number | null;
  /** From a GC root to one leaked object, node names and edge names interleaved. */
  path: string[];
  /** `outlives-sessions`: still alive after every session closed; `grows-with-live-sessions`: grows while sessions are open, freed on close. */
  kind?: 'outlives-sessions' | 'grows-with-live-sessions';
  /** Growth rates over the steady window; per request null when no request was answered. */
  bytesPerHour?: number | null;
  bytesPerRequest?: number | null;
  objectsPerRequest?: number | null;
  objectsPerHour?: number | null;
}

export interface LoadSection {
  connectPerSec: number | null;
  msgPerSec: number | null;
  latencyMs: { p50: number | null; p99: number | null };
  errors: number;
  /** `stdio`: one session over the target's stdin/stdout (run --stdio); absent for Streamable HTTP. */
  transport?: 'stdio';
  /** stdio: non-blank stdout lines that were not JSON-RPC, and the first few of them. */
  nonProtocolLines?: { count: number; first: string[] };
}

export interface CheckResult {
  id: string;
  description: string;
  limit: string;
  measured: number | null;
  pass: boolean;
  /** Why it failed or was not applicable (null figure, absent section, baseline regression). */
  reason?: string;
  /** `inconclusive`: the figure's 2σ band straddles the limit; not a pass (pass is false). */
  status?: 'pass' | 'fail' | 'n/a' | 'inconclusive';
  /** The config path this row comes from (`pools.*.reuseRatio` for `pools[sessions].reuseRatio`). */
  path?: string;
  /** What the figure measures, so it can be printed in human units. */
  unit?: 'bytes' | 'bytesPerHour' | 'ms' | 'sec' | 'pct' | 'ratio' | 'count' | 'number';
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
}
