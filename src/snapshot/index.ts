/**
 * The snapshot engine's entry point: what the rest of memprof uses of it. Inside, parse/ turns
 * bytes into typed arrays, graph/ computes dominators, retained sizes and class summaries,
 * leaks/ finds what grows and why, browser/ knows a Chromium page's heap. Pure: no I/O.
 */
export type { RawSnapshot } from './types.js';
export { SnapshotFormatError, SnapshotParser } from './parse/parser.js';
export { analyzeSnapshot, instanceRetainedSizes, programBytes, v8MetadataBytes, type HeapAnalysis } from './analyze.js';
export type { ClassStats, ClassSummary } from './graph/summary.js';
export { diffBase, diffSnapshots, type DiffBase, type SnapshotDiff } from './diff.js';
export { findLeaks, type LeakGroup, type LeakOptions } from './leaks/leaks.js';
export { findLiveGrowth, findOutlivingLeaks, mergeSessionLeaks, windowDigest, type BoundedGroup, type LiveLeak, type SessionLeak } from './leaks/session-leaks.js';
export { attributeGrowth, leakRates, rateGaps, type WindowSpan } from './leaks/leak-rates.js';
export type { SnapshotDigest } from './leaks/window-digest.js';
export { isBrowserHeap } from './browser/browser-heap.js';
export type { DetachedDomFigures } from './browser/detached-dom.js';
export { sortedIds } from './snapshot-ids.js';
