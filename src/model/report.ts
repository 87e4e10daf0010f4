// These types are the one place report.json is written down: schema/report.schema.json and the field
// tables of docs/report.md are generated from them and their doc comments (`npm run docs`), and
// test/docs/ fails when a field has no doc comment or the generated files are out of date.
import type { CheckResult } from './check.js';
import type { ConnectionsSection } from './connections.js';
import type { FleetInstance, FleetSummary } from './fleet.js';
import type { GcSection } from './gc.js';
import type { GrowthSection } from './growth.js';
import type { GrowingClass, LeakFigures, PoolFigures } from './leaks.js';
import type { BurstSection, LoadSection } from './load.js';
import type { MemorySection, TargetInfo } from './target.js';

export type * from './check.js';
export type * from './fleet.js';
export type * from './target.js';
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
  target: TargetInfo;
  /** Wall time from the first to the last measurement of the target, seconds. */
  durationSec: number;
  /** Heap and RSS over the run, from the periodic samples (every `--interval`). */
  memory: MemorySection;
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
