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
}

export interface GrowthFitQuality {
  /** afterGc: forced-GC samples; gcMinima: heap minima between major GCs; windowMinima: per-window minima. */
  method: 'afterGc' | 'gcMinima' | 'windowMinima' | null;
  /** Points in the fit. */
  n: number;
  r2: number | null;
  /** Time the fit spans, seconds. */
  windowSec: number | null;
  /** Standard error of the slope, bytes/hour: a slope within ±2 of these is indistinguishable from flat. */
  stdErrBytesPerHour: number | null;
  /** Width of each minima window (windowMinima only), seconds. */
  minimaWindowSec: number | null;
  /** Why the slope is null. */
  reason: string | null;
}

export interface GcKindStats {
  count: number;
  avgMs: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface GcSection {
  minor: GcKindStats;
  major: GcKindStats;
  totalMs: number | null;
  overheadPct: number | null;
  /** Full GCs memprof forced itself to measure at a step; excluded from the figures above. */
  forced?: { count: number; totalMs: number | null };
  /** Incremental-marking steps and weak-callback passes: in totalMs/overheadPct, not in minor/major. */
  incremental?: GcKindStats;
  weak?: GcKindStats;
}

export interface PoolFigures {
  name: string;
  created: number | null;
  reused: number | null;
  /** reused / (created + reused). */
  reuseRatio: number | null;
  peakInUse: number | null;
  inUse?: number | null;
}

export interface LeakFigures {
  name: string;
  count: number;
  retainedSize: number;
  growthBytes: number | null;
  /** From a GC root to one leaked object, node names and edge names interleaved. */
  path: string[];
  /**
   * Runs with load only. 'outlives-sessions': still alive after every session closed;
   * 'grows-with-live-sessions': piles up while sessions are open, freed when they close.
   */
  kind?: 'outlives-sessions' | 'grows-with-live-sessions';
  /** Over the steady window (steady-start to steady-end snapshots); null with a note when there is none. */
  bytesPerHour?: number | null;
  objectsPerHour?: number | null;
  /** Per tool call answered during the window; null with a note when none was sent. */
  bytesPerRequest?: number | null;
  objectsPerRequest?: number | null;
}

export interface LoadSection {
  connectPerSec: number | null;
  msgPerSec: number | null;
  latencyMs: { p50: number | null; p99: number | null };
  errors: number;
}

export interface CheckResult {
  id: string;
  description: string;
  limit: string;
  measured: number | null;
  pass: boolean;
  /** Why it failed or was not applicable (null figure, absent section, baseline regression). */
  reason?: string;
  status?: 'pass' | 'fail' | 'n/a';
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
