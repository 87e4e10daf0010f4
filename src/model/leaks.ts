import type { AllocationSite } from './connections.js';

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
