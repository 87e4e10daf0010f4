import type { LoadSummary } from '../load/types.js';
import type { SnapshotDiff, LeakGroup, ClassSummary, DetachedDomFigures } from '../snapshot/index.js';
import type { CheckResult } from '../model/report.js';

/**
 * The `--json` outputs of `inspect`, `diff`, `leaks`, `load` and `check`, and the functions that
 * build them (the commands print them; the programmatic API returns them). As with report.json,
 * these types and their doc comments are the one place the formats are written down:
 * schema/*.schema.json and docs/formats.md are generated from them (`npm run docs`).
 */

/** Where a class's constructor is defined (1-based line and column), as DevTools shows it. */
export interface SourceLocation {
  /** V8's script id (resolve it with the inspector's `Debugger.scriptParsed` events). */
  scriptId: number;
  /** Line, from 1. */
  line: number;
  /** Column, from 1. */
  column: number;
}

/** `memprof inspect FILE --json` (memprof/inspect@1): a snapshot's totals and every class. */
export interface InspectOutput {
  /** Always `memprof/inspect@1`. */
  schema: 'memprof/inspect@1';
  /** The snapshot file, as given. */
  file: string;
  /** Objects (nodes) in the snapshot. */
  nodeCount: number;
  /** References (edges) in the snapshot. */
  edgeCount: number;
  /** Everything the snapshot holds, bytes: the root's retained size plus `extra_native_bytes`, as DevTools counts it. */
  totalSize: number;
  /** Every class, largest retained size first (DevTools' Summary view). */
  classes: InspectClass[];
  /** A browser page's detached DOM, as DevTools' detached filter counts it; absent for snapshots without DOM state (Node's). */
  detached?: DetachedDomFigures;
}

/** One row of DevTools' Summary view. */
export interface InspectClass {
  /** Class name as DevTools shows it (`Map`, `{a, b}`, `(closure)`, `system / Context`). */
  name: string;
  /** Objects of the class. */
  count: number;
  /** Shallow size of the objects, bytes, after DevTools' transfer of hidden and array sizes to their owner. */
  selfSize: number;
  /** DevTools' class retained size, bytes: the sum over instances not dominated by another instance. */
  retainedSize: number;
  /** Where the constructor is defined; absent when it has no location. Same-named classes from different constructors are separate rows. */
  location?: SourceLocation;
}

/** `memprof diff BEFORE AFTER --json` (memprof/diff@1): per-class changes. */
export interface DiffOutput {
  /** Always `memprof/diff@1`. */
  schema: 'memprof/diff@1';
  /** The BEFORE snapshot file, as given. */
  before: string;
  /** The AFTER snapshot file, as given. */
  after: string;
  /** False when the two snapshots look like different processes (their object ids name different objects): newCount and newSize are then meaningless. */
  sameProcess: boolean;
  /** The classes that changed (count, size or new objects), largest size growth first. */
  classes: DiffClass[];
  /** A browser page's detached DOM in BEFORE and AFTER; absent when neither records DOM state (Node's). */
  detached?: DetachedDomChange;
}

/** Detached DOM in the two snapshots of a diff. */
export interface DetachedDomChange {
  /** In BEFORE (zeros when it records no DOM state). */
  before: DetachedDomFigures;
  /** In AFTER (zeros when it records no DOM state). */
  after: DetachedDomFigures;
}

/** One class's change from BEFORE to AFTER. */
export interface DiffClass {
  /** Class name as DevTools shows it. */
  name: string;
  /** Objects in BEFORE. */
  countBefore: number;
  /** Objects in AFTER. */
  countAfter: number;
  /** countAfter - countBefore. */
  countDelta: number;
  /** Shallow size in AFTER minus in BEFORE, bytes. */
  sizeDelta: number;
  /** Objects in AFTER whose id is absent from BEFORE (created in between). */
  newCount: number;
  /** Their shallow size, bytes. */
  newSize: number;
  /** Shallow size in BEFORE, bytes. */
  sizeBefore: number;
  /** Shallow size in AFTER, bytes. */
  sizeAfter: number;
  /** Class retained size in BEFORE, bytes. */
  retainedBefore: number;
  /** Class retained size in AFTER, bytes. */
  retainedAfter: number;
  /** Where the constructor is defined; absent when it has no location. */
  location?: SourceLocation;
}

/** `memprof leaks BASELINE TARGET FINAL --json` (memprof/leaks@1): leak groups, largest first. */
export interface LeaksOutput {
  /** Always `memprof/leaks@1`. */
  schema: 'memprof/leaks@1';
  /** The BASELINE snapshot file, as given. */
  baseline: string;
  /** The TARGET snapshot file, as given. */
  target: string;
  /** The FINAL snapshot file, as given. */
  final: string;
  /** True unless `--all`: V8 internals, tiny strings and one-off objects were left out. */
  filtered: boolean;
  /** Present (true) when the snapshots are of a browser page (Chromium): the page's own objects were told apart from the browser's. */
  browser?: boolean;
  /** Leak groups, largest retained size first; `[]` when none. */
  leaks: LeakGroupOutput[];
  /** With `--steady`: the earlier snapshots of the steady window (START, and MID when given). */
  steady?: string[];
  /** With `--steady`: groups set aside because their container stayed bounded across the window. */
  bounded?: BoundedGroupOutput[];
}

/** A group `leaks --steady` did not report: its container did not grow across the window. */
export interface BoundedGroupOutput {
  /** Class of the objects. */
  name: string;
  /** Objects in the group. */
  count: number;
  /** From a GC root to one of them. */
  path: string[];
  /** The container's sizes across the window that decided it. */
  evidence: string;
}

/** Objects created between BASELINE and TARGET and still alive in FINAL, of one class held the same way. */
export interface LeakGroupOutput {
  /** Class of the leaked objects (DevTools' Summary name). */
  name: string;
  /** Leaked objects: created between BASELINE and TARGET, alive in FINAL, not inside another leaked object. */
  count: number;
  /** Bytes they retain in FINAL. */
  retainedSize: number;
  /** Retained bytes of objects of the same group created after TARGET and alive in FINAL: the leak still growing. */
  growthBytes: number;
  /** From a GC root to one leaked object, node names and edge names interleaved: `["(GC roots)", ..., "sessions", "Map", "table", "Name"]`. */
  path: string[];
  /** DOM nodes of a browser page, when the snapshot records it: `detached` (removed from the document, as DevTools' `Detached <tag>` classes) or `attached`. */
  detachedness?: 'attached' | 'detached';
  /** With `--steady`: `outlives-sessions` or `grows-with-live-sessions`. */
  kind?: 'outlives-sessions' | 'grows-with-live-sessions';
  /** With `--steady`: what showed the growth (the container's sizes across the window, or at the close). */
  evidence?: string;
}

/** `memprof load --mcp URL --json` (memprof/load@1): what the load generator did and measured. */
export type LoadOutput = {
  /** Always `memprof/load@1`. */
  schema: 'memprof/load@1';
  /** The MCP endpoint, as given (Streamable HTTP). */
  url?: string;
  /** The server started and driven over its stdin/stdout (`load --stdio`). */
  command?: string;
} & LoadSummary;

/** `memprof check REPORT --json` (memprof/check@1): the checklist's verdict. */
export interface CheckOutput {
  /** Always `memprof/check@1`. */
  schema: 'memprof/check@1';
  /** The report file checked, as given. */
  report: string;
  /** The `--baseline` report, as given; null without one. */
  baseline: string | null;
  /** Where the checks came from: the config file's path, or `built-in defaults`. */
  config: string;
  /** True when no row failed (n/a rows do not fail); the exit code is 0 then, else 1. */
  pass: boolean;
  /** One row per check (per pool for `pools.*` paths), then its baseline row when `--baseline` is given. */
  results: CheckResult[];
}

export function inspectOutput(file: string, summary: ClassSummary): InspectOutput {
  return {
    schema: 'memprof/inspect@1',
    file,
    nodeCount: summary.nodeCount,
    edgeCount: summary.edgeCount,
    totalSize: summary.totalSize,
    classes: summary.classes.map(({ name, count, selfSize, retainedSize, location }) => ({ name, count, selfSize, retainedSize, ...(location ? { location } : {}) })),
    ...(summary.detached ? { detached: summary.detached } : {}),
  };
}

export function diffOutput(before: string, after: string, diff: SnapshotDiff): DiffOutput {
  return {
    schema: 'memprof/diff@1',
    before,
    after,
    sameProcess: diff.sameProcess,
    classes: diff.classes.map((c) => ({
      name: c.name,
      countBefore: c.countBefore,
      countAfter: c.countAfter,
      countDelta: c.countDelta,
      sizeDelta: c.sizeDelta,
      newCount: c.newCount,
      newSize: c.newSize,
      sizeBefore: c.sizeBefore,
      sizeAfter: c.sizeAfter,
      retainedBefore: c.retainedBefore,
      retainedAfter: c.retainedAfter,
      ...(c.location ? { location: c.location } : {}),
    })),
    ...(diff.detached ? { detached: diff.detached } : {}),
  };
}

export function leaksOutput(
  files: { baseline: string; target: string; final: string },
  leaks: Array<LeakGroup & { kind?: LeakGroupOutput['kind']; evidence?: string }>,
  filtered: boolean,
  steady?: { files: string[]; bounded: BoundedGroupOutput[] },
  browser = false,
): LeaksOutput {
  return {
    schema: 'memprof/leaks@1',
    ...files,
    filtered,
    ...(browser ? { browser: true } : {}),
    leaks: leaks.map((l) => ({
      name: l.name,
      count: l.count,
      retainedSize: l.retainedSize,
      growthBytes: l.growthBytes,
      path: l.path,
      ...(l.detachedness ? { detachedness: l.detachedness } : {}),
      ...(steady ? { kind: l.kind, evidence: l.evidence } : {}),
    })),
    ...(steady ? { steady: steady.files, bounded: steady.bounded.map((b) => ({ name: b.name, count: b.count, path: b.path, evidence: b.evidence })) } : {}),
  };
}

export function loadOutput(url: string, summary: LoadSummary): LoadOutput {
  return { schema: 'memprof/load@1', url, ...summary };
}

export function stdioLoadOutput(command: string, summary: LoadSummary): LoadOutput {
  return { schema: 'memprof/load@1', command, ...summary };
}

export function checkOutput(report: string, baseline: string | null, config: string, results: CheckResult[], pass: boolean): CheckOutput {
  return { schema: 'memprof/check@1', report, baseline, config, pass, results };
}
