import type { ConnectionsSection } from './connections.js';
import type { GcSection } from './gc.js';
import type { GrowthSection } from './growth.js';
import type { LeakFigures, PoolFigures } from './leaks.js';
import type { LoadSection } from './load.js';
import type { CheckResult } from './check.js';
import type { MemorySection, TargetInfo } from './target.js';

/** One target process of a fleet, measured as a single-target run would measure it. */
export interface FleetInstance {
  /** The instance's name in this report (`checks[].instance`, `fleet.worst`): `#K pid N`. */
  name: string;
  /** Its own report and files: `instances/K` under the run's output directory. */
  dir: string;
  /** The target process, as the top-level `target` of a single-target report. */
  target: TargetInfo;
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
  memory: MemorySection;
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
