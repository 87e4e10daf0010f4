import type { HeapGraph } from '../graph/graph.js';

/**
 * What sets a browser page's heap apart from a Node process's, for the leak rules (leak-noise.ts).
 *
 * A Chromium renderer's snapshot holds the page's JS world and Blink's C++ heap (cppgc) in one
 * graph, and the root has no shortcut edge to a global object (Node's has one). The page is found
 * from Blink's side instead: each `Window` native node (the LocalDOMWindow) carries shortcut edges
 * to its main world's JS global object (`global_object`) and native context (`native_context`).
 * Isolated worlds (DevTools, automation, extensions) have global objects of their own that no
 * `Window` points to this way, so they are not the page.
 *
 * Blink's own objects (style and font caches, schedulers, mojo plumbing) are named after their C++
 * class (`blink::StyleResolver`, `blink::HeapHashTableBacking<...>`), or `InternalNode` in builds
 * that hide C++ names; objects a script can see (DOM nodes, `HTMLDocument`, `EventListener`) carry
 * the name the web knows them by. Only the latter belong to the page.
 */
export interface BrowserRoots {
  /** The main world's JS global object of each page (`Window [JSGlobalObject]`). */
  globals: number[];
  /** The main world's script contexts: where top-level `let`, `const` and `class` of classic scripts live. */
  scriptContexts: number[];
  /** Callback holders Blink keeps for the page (`V8EventListener`, `V8Function`...): the functions inside are the page's work. */
  callbackHolders: number[];
}

const browserCache = new WeakMap<HeapGraph, boolean>();

/** True when the snapshot is a browser renderer's: some `Window` native node points to a JS global object. */
export function isBrowserHeap(g: HeapGraph): boolean {
  let browser = browserCache.get(g);
  if (browser === undefined) {
    browser = windowNodes(g).length > 0;
    browserCache.set(g, browser);
  }
  return browser;
}

/** The page's starting points in a browser heap (see `BrowserRoots`). */
export function browserRoots(g: HeapGraph): BrowserRoots {
  const globals: number[] = [];
  const scriptContexts: number[] = [];
  for (const w of windowNodes(g)) {
    const global = shortcutTo(g, w, 'global_object');
    if (global >= 0) globals.push(global);
    const context = shortcutTo(g, w, 'native_context');
    const table = context >= 0 ? namedEdgeTo(g, context, 'script_context_table') : -1;
    if (table < 0) continue;
    for (let e = g.firstEdge[table]; e < g.firstEdge[table + 1]; e++) {
      const to = g.edges[e * g.edgeFieldCount + g.edgeToOffset];
      if (g.strings.get(g.nodeName[to]).startsWith('system / Context')) scriptContexts.push(to);
    }
  }
  const holderName = nameTest(g, (s) => /^V8[A-Z]\w*$/.test(s));
  const callbackHolders: number[] = [];
  for (let v = 0; v < g.nodeCount; v++) {
    if (g.nodeType[v] === g.types.native && holderName(g.nodeName[v])) callbackHolders.push(v);
  }
  return { globals, scriptContexts, callbackHolders };
}

/**
 * True for the name (string index) of a native node that is Blink's (or V8's) own plumbing rather than
 * an object the page's scripts can reach by name: C++ class names (`blink::...`, anything with
 * `::`), `InternalNode`, V8 internals (`system / ...`), Blink's per-context data and callback holders.
 */
export function internalNativeNames(g: HeapGraph): (nameIndex: number) => boolean {
  return nameTest(g, (s) => s.includes('::') || s === 'InternalNode' || s.startsWith('system / ') || s.startsWith('(') || s.startsWith('V8PerContextData'));
}

/**
 * `test` on a node name by string index, each string read once at most: a Node heap has millions
 * of strings but few of them name native nodes, so they are read on demand, not all up front.
 */
export function nameTest(g: HeapGraph, test: (s: string) => boolean): (nameIndex: number) => boolean {
  const memo = new Uint8Array(g.strings.length + 1); // 0 unread, 1 no, 2 yes
  return (i) => {
    if (memo[i] === 0) memo[i] = test(g.strings.get(i)) ? 2 : 1;
    return memo[i] === 2;
  };
}

/**
 * Scripts that are not the page's: the browser's own (`chrome://`, `devtools://`, extensions) and
 * automation's (Puppeteer's and Playwright's evaluation scripts).
 */
export function isBrowserInternalScript(name: string): boolean {
  return /^(chrome|chrome-extension|chrome-untrusted|devtools|extensions|v8):/.test(name) || name.startsWith('extensions::') || name.startsWith('pptr:') || name.startsWith('__puppeteer') || name.startsWith('__playwright');
}

function windowNodes(g: HeapGraph): number[] {
  const out: number[] = [];
  const native = g.types.native;
  if (native < 0) return out;
  const windowName = nameTest(g, (s) => s === 'Window' || s.startsWith('Window / '));
  for (let v = 0; v < g.nodeCount; v++) {
    if (g.nodeType[v] === native && windowName(g.nodeName[v]) && shortcutTo(g, v, 'global_object') >= 0) out.push(v);
  }
  return out;
}

function shortcutTo(g: HeapGraph, v: number, name: string): number {
  const { edges, edgeFieldCount: ef } = g;
  for (let e = g.firstEdge[v], end = g.firstEdge[v + 1]; e < end; e++) {
    if (edges[e * ef + g.edgeTypeOffset] === g.edgeTypes.shortcut && g.strings.is(edges[e * ef + g.edgeNameOffset], name)) return edges[e * ef + g.edgeToOffset];
  }
  return -1;
}

function namedEdgeTo(g: HeapGraph, v: number, name: string): number {
  const { edges, edgeFieldCount: ef } = g;
  for (let e = g.firstEdge[v], end = g.firstEdge[v + 1]; e < end; e++) {
    const type = edges[e * ef + g.edgeTypeOffset];
    if (type === g.edgeTypes.element || type === g.edgeTypes.hidden) continue;
    if (g.strings.is(edges[e * ef + g.edgeNameOffset], name)) return edges[e * ef + g.edgeToOffset];
  }
  return -1;
}
