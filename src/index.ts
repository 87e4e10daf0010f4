/**
 * memprof's programmatic API: `import { inspectFile, profile, evaluateChecks } from 'memprof'`.
 * Everything the CLI does is here as functions over plain data; docs/api.md describes it.
 * The CLI itself (bin/memprof.js) is not part of the API.
 */

// Heap snapshots: a file or bytes -> parsed (RawSnapshot) -> analysed with DevTools' semantics.
export { readSnapshotFile, type ReadSnapshotOptions } from './io/read-snapshot.js';
export { parseSnapshot, SnapshotParser, SnapshotFormatError } from './snapshot/parse/parser.js';
export type { RawSnapshot, SnapshotMeta } from './snapshot/types.js';
export { analyzeSnapshot, instanceRetainedSizes, HeapAnalysis, type ClassStats, type ClassSummary } from './snapshot/analyze.js';
export { retainerPath } from './snapshot/graph/retainer-path.js';
export type { DetachedDomFigures } from './snapshot/browser/detached-dom.js';
export { diffBase, diffSnapshots, type DiffBase, type DiffRow, type SnapshotDiff } from './snapshot/diff.js';
export { findLeaks, type LeakGroup, type LeakOptions, type SnapshotRef } from './snapshot/leaks/leaks.js';
export { sortedIds } from './snapshot/snapshot-ids.js';
export { analyzeSnapshotFile, diffFiles, inspectFile, leaksInFiles } from './api/snapshots.js';

// The --json outputs of inspect, diff, leaks, load and check (memprof/<command>@1).
export {
  checkOutput,
  diffOutput,
  inspectOutput,
  leaksOutput,
  loadOutput,
  type CheckOutput,
  type DiffClass,
  type DiffOutput,
  type InspectClass,
  type InspectOutput,
  type LeakGroupOutput,
  type LeaksOutput,
  type LoadOutput,
  type SourceLocation,
  type DetachedDomChange,
} from './report/outputs.js';

// MCP load.
export { runLoad } from './load/index.js';
export type { LoadControl, LoadHooks, LoadOptions, LoadProgress, LoadStep, LoadSummary } from './load/types.js';

// Profiling a live process.
export { connectTarget, type ConnectOptions, type LiveTarget } from './inspector/connect.js';
export { runProfile, DEFAULT_CONNECTION_CLASSES, type ProfileIo, type ProfileOptions } from './profile/profiler.js';
export type { Recording } from './profile/recording.js';
export type { GcEvent, MemorySample } from './model/recording.js';
export { assembleReport } from './profile/assemble.js';
export { profile, type ProfileCallOptions, type ProfileResult, type ProfileSettings } from './api/profile.js';

// The checklist and the capacity plan.
export { DEFAULT_CONFIG_JSON, defaultConfig, parseConfig, type CheckConfig, type CheckSpec, type ConfigFile } from './check/config.js';
export { evaluateChecks } from './check/evaluate.js';
export { applyChecks } from './profile/checks.js';
export { capacityPlan, type CapacityPlan, type Deployment, type PlanInput } from './analysis/capacity.js';

// report.json (memprof/report@1).
export type * from './model/report.js';

export { InterruptedError, MemprofError } from './util/errors.js';
export { VERSION } from './util/version.js';
