// These types are the one place report.json is written down: schema/report.schema.json and the field
// tables of docs/report.md are generated from them and their doc comments (`npm run docs`), and
// test/docs/ fails when a field has no doc comment or the generated files are out of date.
import type { ConnectionsSection } from './connections.js';
import type { FleetInstance, FleetSummary } from './fleet.js';
import type { GcSection } from './gc.js';
import type { GrowthSection } from './growth.js';
import type { GrowingClass, LeakFigures, PoolFigures } from './leaks.js';
import type { BurstSection, LoadSection } from './load.js';

export type * from './fleet.js';
export type * from './connections.js';
export type * from './growth.js';
export type * from './gc.js';
export type * from './leaks.js';
export type * from './load.js';

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

/** A figure's first and last reading and its peak over the run; all null when no sample was taken. */
export interface MinMaxEnd {
  /** The first reading. */
  start: number | null;
  /** The last reading. */
  end: number | null;
  /** The largest reading. */
  peak: number | null;
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
