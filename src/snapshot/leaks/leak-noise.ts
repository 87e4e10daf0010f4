import type { HeapAnalysis } from '../analyze.js';
import { browserRoots, internalNativeNames, isBrowserHeap, isBrowserInternalScript } from '../browser/browser-heap.js';
import type { HeapGraph } from '../graph/graph.js';
import { hasId } from '../snapshot-ids.js';

/**
 * Which objects user code holds on to, as opposed to Node's and V8's own caches.
 *
 * Node keeps objects alive that grow with load and then plateau: the HTTP parser free list,
 * internalized strings, timer lists, compiled code and feedback. They look exactly like leaks to
 * the three-snapshot method (created between BASELINE and TARGET, alive in FINAL), so the method
 * needs to know who holds an object, not what class it is: a class-name list tuned to one
 * server misses the next server's caches.
 *
 * An object is user-held when it can be reached without passing through Node's internals from:
 * - the global object (properties user code put there, `process` and its listeners),
 * - servers that existed at BASELINE, held by their listening handle,
 * - repeating timers (`setInterval`) whose callback is user code, and
 * - user functions that already existed at BASELINE and that a GC root holds without passing
 *   through V8 internals: module-level functions and the module scope
 *   (the `system / Context`) they close over. Functions created later are reached only when user
 *   data reaches them, so a per-request closure that only an internal timer list holds is noise.
 * The walk never enters functions whose script is one of Node's own (`node:...`), their scopes,
 * V8 internals (code, shapes, hidden objects: the native context, feedback, the string table),
 * memprof's own agent object in the target, or the built-in fetch's connection pool.
 *
 * A browser page's heap (see browser-heap.ts) starts instead from the page's main-world global
 * object and script contexts, and from the functions Blink holds as the page's callbacks (event
 * listeners, timers, observers: like a repeating timer, work the page asked for); the walk never
 * enters Blink's own C++ objects, so style, font and layout caches are the browser's, not leaks.
 */
export interface UserHeld {
  /** 1 for objects user code holds. */
  held: Uint8Array;
  /** The node one step closer to a starting point of the walk; NONE at a starting point (the global object, a user function). */
  parentNode: Uint32Array;
  /** The edge from `parentNode`. */
  parentEdge: Uint32Array;
  /** True for a browser page's heap: its attached DOM is the page's content, not a leak. */
  browser: boolean;
}

export const NONE = 0xffffffff;

export function userHeldNodes(a: HeapAnalysis, baselineIds: Uint32Array): UserHeld {
  const g = a.graph;
  const n = g.nodeCount;
  const browser = isBrowserHeap(g);
  const kind = closureKinds(g, browser);
  const internalNative = browser ? internalNativeNames(g) : null;
  const held = new Uint8Array(n);
  const parentNode = new Uint32Array(n).fill(NONE);
  const parentEdge = new Uint32Array(n).fill(NONE);
  const queue = new Uint32Array(n);
  let tail = 0;
  const push = (v: number, from: number, e: number): void => {
    if (held[v] || !walkable(g, v, kind, internalNative)) return;
    held[v] = 1;
    parentNode[v] = from;
    parentEdge[v] = e;
    queue[tail++] = v;
  };

  const { shortcut, weak } = g.edgeTypes;
  const { edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeToOffset: toOff, edgeNameOffset: nOff, firstEdge } = g;
  const root = g.rootOrdinal;
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    if (edges[e * ef + tOff] === shortcut) push(edges[e * ef + toOff], NONE, NONE);
  }
  if (browser) {
    const roots = browserRoots(g);
    for (const v of [...roots.globals, ...roots.scriptContexts]) push(v, NONE, NONE);
    for (const holder of roots.callbackHolders) {
      for (let e = firstEdge[holder]; e < firstEdge[holder + 1]; e++) {
        const fn = edges[e * ef + toOff];
        if (kind[fn] === USER && edges[e * ef + tOff] !== weak) push(fn, NONE, NONE);
      }
    }
  }
  // Only functions a GC root holds without V8's help: compiled code and feedback keep functions
  // alive too (a library's lazily built validators), and what they hold is V8's business.
  const rooted = a.pathTree.parentNode;
  for (let v = 0; v < n; v++) {
    if (kind[v] === USER && rooted[v] !== NONE && hasId(baselineIds, g.nodeId[v])) push(v, NONE, NONE);
  }
  // A server user code created but keeps no variable for: Node's listening handle holds it through
  // its `owner_symbol` property. It is still the user's object (listeners added to it are the user's).
  for (const server of listeningServers(g)) if (hasId(baselineIds, g.nodeId[server])) push(server, NONE, NONE);

  // A repeating timer whose callback is user code is user work that runs until cleared: what it
  // holds is the program's, although only Node's timer list holds the timer. Only its callback and
  // arguments are followed, not the timer list it is linked into.
  const timerFields = stringIds(g, (s) => s === '_onTimeout' || s === '_timerArgs');
  for (const timer of repeatingTimers(g, kind)) {
    if (held[timer]) continue;
    held[timer] = 1;
    for (let e = firstEdge[timer]; e < firstEdge[timer + 1]; e++) {
      const base = e * ef;
      if (edges[base + tOff] !== g.edgeTypes.property || !timerFields.has(edges[base + nOff])) continue;
      push(edges[base + toOff], timer, e);
    }
  }

  const foreignNames = stringIds(g, (s) => s.includes('memprof.agent') || s.startsWith('<symbol undici.globalDispatcher'));
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const base = e * ef;
      const type = edges[base + tOff];
      if (type === weak || type === shortcut) continue;
      if (foreignNames.size > 0 && type !== g.edgeTypes.element && type !== g.edgeTypes.hidden && foreignNames.has(edges[base + nOff])) continue;
      push(edges[base + toOff], v, e);
    }
  }
  return { held, parentNode, parentEdge, browser };
}

// Closures of unknown origin (eval, scripts without a name) stay 0: walked through, never a starting point.
const USER = 1;
const NODE = 2;

/** Per node: USER / NODE (the runtime's, the browser's or automation's) for closures whose script is known, 0 otherwise. */
function closureKinds(g: HeapGraph, browser: boolean): Uint8Array {
  const kind = new Uint8Array(g.nodeCount);
  const closure = g.types.closure;
  for (let v = 0; v < g.nodeCount; v++) {
    if (g.nodeType[v] !== closure) continue;
    const shared = edgeTo(g, v, SHARED_NAMES);
    if (shared < 0) continue;
    let script = edgeTo(g, shared, SCRIPT_NAMES);
    // While a debugger is attached the slot may hold the function's debug info, which names the script.
    if (script >= 0 && g.strings.is(g.nodeName[script], 'system / DebugInfo')) script = edgeTo(g, script, SCRIPT_NAMES);
    if (script < 0) continue;
    // Newer V8 names script nodes `system / Script / URL`; older ones just `URL`.
    const raw = g.strings.get(g.nodeName[script]);
    const name = raw.startsWith(SCRIPT_PREFIX) ? raw.slice(SCRIPT_PREFIX.length) : raw;
    if (isNodeScript(name) || (browser && isBrowserInternalScript(name))) kind[v] = NODE;
    else if (name !== '' && !name.startsWith('system / ')) kind[v] = USER;
  }
  return kind;
}

const SHARED_NAMES = new Set(['shared']);
const SCRIPT_PREFIX = 'system / Script / ';
const SCRIPT_NAMES = new Set(['script_or_debug_info', 'script']);

/** Node's own JavaScript: `node:internal/...`, `node:http`; older releases named them without the scheme. */
export function isNodeScript(name: string): boolean {
  return name.startsWith('node:') || name.startsWith('internal/');
}

function edgeTo(g: HeapGraph, v: number, names: Set<string>): number {
  const { edges, edgeFieldCount: ef } = g;
  for (let e = g.firstEdge[v], end = g.firstEdge[v + 1]; e < end; e++) {
    const type = edges[e * ef + g.edgeTypeOffset];
    if (type === g.edgeTypes.element || type === g.edgeTypes.hidden) continue;
    if (names.has(g.strings.get(edges[e * ef + g.edgeNameOffset]))) return edges[e * ef + g.edgeToOffset];
  }
  return -1;
}

/**
 * V8 internals end the walk, with one exception: an ES module's exported variables live in cells
 * of its `SourceTextModule`, which the module scope points to.
 */
function walkable(g: HeapGraph, v: number, kind: Uint8Array, internalNative: ((nameIndex: number) => boolean) | null): boolean {
  if (kind[v] === NODE) return false;
  const type = g.nodeType[v];
  const t = g.types;
  if (type === t.code || type === t.objectShape) return false;
  if (internalNative && type === t.native && internalNative(g.nodeName[v])) return false;
  if (type === t.hidden) {
    const name = g.nodeName[v];
    return g.strings.is(name, 'system / SourceTextModule') || g.strings.is(name, 'system / Cell');
  }
  return true;
}

/** JS objects that a listening native handle (`Node / TCPServerWrap`, `PipeServerWrap`) owns. */
function listeningServers(g: HeapGraph): number[] {
  const out: number[] = [];
  const owner = new Set(['<symbol owner_symbol>']);
  for (let v = 0; v < g.nodeCount; v++) {
    // Embedder nodes are `native` or `synthetic` depending on the Node release.
    const type = g.nodeType[v];
    if ((type !== g.types.native && type !== g.types.synthetic) || !g.strings.get(g.nodeName[v]).endsWith('ServerWrap')) continue;
    const wrapper = edgeTo(g, v, new Set(['native_to_javascript']));
    const server = wrapper >= 0 ? edgeTo(g, wrapper, owner) : -1;
    if (server >= 0) out.push(server);
  }
  return out;
}

/** Node's `Timeout` objects made by `setInterval` (no `_repeat: null`) with a user function as callback. */
function repeatingTimers(g: HeapGraph, kind: Uint8Array): number[] {
  const out: number[] = [];
  const { edges, edgeFieldCount: ef } = g;
  for (let v = 0; v < g.nodeCount; v++) {
    if (g.nodeType[v] !== g.types.object || !g.strings.is(g.nodeName[v], 'Timeout')) continue;
    let userCallback = false;
    let oneShot = false;
    for (let e = g.firstEdge[v], end = g.firstEdge[v + 1]; e < end; e++) {
      if (edges[e * ef + g.edgeTypeOffset] !== g.edgeTypes.property) continue;
      const name = g.strings.get(edges[e * ef + g.edgeNameOffset]);
      const to = edges[e * ef + g.edgeToOffset];
      if (name === '_onTimeout') userCallback = kind[to] === USER;
      else if (name === '_repeat') oneShot = g.nodeType[to] === g.types.hidden;
    }
    if (userCallback && !oneShot) out.push(v);
  }
  return out;
}

/** Ids of the snapshot's strings that pass `test` (edge names are string ids). */
function stringIds(g: HeapGraph, test: (s: string) => boolean): Set<number> {
  const out = new Set<number>();
  g.strings.forEach((s, i) => {
    if (test(s)) out.add(i);
  });
  return out;
}
