import type { Arena } from '../arena.js';
import type { HeapGraph } from './graph.js';
import { InterfaceMatcher, inferInterfaces } from '../interfaces.js';
import { SequenceTable } from '../parse/sequence-table.js';

/**
 * Classes as DevTools' Summary view groups objects. `key` is DevTools' own class key: `,Name`, or
 * `scriptId,line,column,Name` for JS objects whose constructor has a source location, which is
 * how two different classes both called `Server` stay apart.
 */
export interface ClassTable {
  /** Class id of every node. */
  classOf: Uint32Array;
  names: string[];
  keys: string[];
  /** Source location of the constructor, when the key has one. */
  locations: Array<{ scriptId: number; line: number; column: number } | undefined>;
}

class Registry {
  readonly names: string[] = [];
  readonly keys: string[] = [];
  readonly locations: ClassTable['locations'] = [];
  private readonly byKey = new Map<string, number>();

  id(key: string, name: string, location?: { scriptId: number; line: number; column: number }): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.byKey.set(key, id);
      this.names.push(name);
      this.keys.push(key);
      this.locations.push(location);
    }
    return id;
  }

  named(name: string): number {
    return this.id(',' + name, name);
  }
}

/** `<div id="a">` → `<div>`, `Detached <div id="a">` → `Detached <div>`, anything else unchanged. */
function embedderClassName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : name.substring(0, space) + '>';
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : name.substring(0, space) + '>';
  }
  return name;
}

/** Assigns every node its Summary-view class. */
export function classifyNodes(g: HeapGraph, scratch: Arena, out: Arena): ClassTable {
  const { nodeCount: n, nodeType, nodeName, strings } = g;
  const t = g.types;
  const reg = new Registry();
  const classOf = out.u32(n);
  const mark = scratch.mark();

  // Per node type, the class of nodes not named after their constructor.
  const typeClass = new Int32Array(g.nodeTypeNames.length).fill(-1);
  g.nodeTypeNames.forEach((typeName, type) => {
    if (type === t.object || type === t.native) return;
    const name =
      type === t.hidden ? '(system)' : type === t.code ? '(compiled code)' : type === t.closure ? 'Function' : type === t.regexp ? 'RegExp' : `(${typeName})`;
    typeClass[type] = reg.named(name);
  });

  const byNameIndex = scratch.i32(strings.length).fill(-1);
  for (let v = 0; v < n; v++) {
    const type = nodeType[v];
    if (type !== t.object && type !== t.native) {
      classOf[v] = typeClass[type];
      continue;
    }
    const s = nodeName[v];
    let c = byNameIndex[s];
    if (c === -1) c = byNameIndex[s] = reg.named(embedderClassName(strings.get(s)));
    classOf[v] = c;
  }

  scratch.release(mark);
  nameInterfaces(g, classOf, reg, scratch);
  applyLocations(g, classOf, reg);
  return { classOf, names: reg.names, keys: reg.keys, locations: reg.locations };
}

/** Plain `Object` instances get `{a, b, ...}` class names (see interfaces.ts). */
function nameInterfaces(g: HeapGraph, classOf: Uint32Array, reg: Registry, scratch: Arena): void {
  const { nodeCount: n, nodeType, nodeName, strings, firstEdge, edges, edgeFieldCount: ef, edgeTypeOffset: tOff, edgeNameOffset: nOff } = g;
  const objectType = g.types.object;
  const property = g.edgeTypes.property;
  const isObjectName = (s: number): boolean => strings.is(s, 'Object');
  const table = new SequenceTable();
  let buf = new Uint32Array(64);
  let counts = new Uint32Array(256);
  const mark = scratch.mark();
  const seqOf = scratch.i32(n).fill(-1);
  // DevTools' "all nodes" iterator starts at the root's position, not at node 0: with a root that
  // a header's root_index puts last, it sees no plain object and names no interface. Same here.
  for (let v = g.rootOrdinal; v < n; v++) {
    if (nodeType[v] !== objectType || !isObjectName(nodeName[v])) continue;
    let len = 0;
    for (let e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++) {
      const base = e * ef;
      if (edges[base + tOff] !== property) continue;
      if (len === buf.length) {
        const bigger = new Uint32Array(len * 2);
        bigger.set(buf);
        buf = bigger;
      }
      buf[len++] = edges[base + nOff];
    }
    const id = table.intern(buf, len);
    if (id >= counts.length) {
      const bigger = new Uint32Array(counts.length * 2);
      bigger.set(counts);
      counts = bigger;
    }
    counts[id]++;
    seqOf[v] = id;
  }
  if (table.size === 0) {
    scratch.release(mark);
    return;
  }
  const sequences: string[][] = [];
  for (let id = 0; id < table.size; id++) sequences.push(Array.from(table.get(id), (s) => String(strings.get(s))));
  const matcher = new InterfaceMatcher(inferInterfaces(sequences, counts));
  const classOfSequence = new Int32Array(table.size);
  for (let id = 0; id < table.size; id++) {
    const name = matcher.match(sequences[id]);
    classOfSequence[id] = name === undefined ? -1 : reg.named(name);
  }
  for (let v = 0; v < n; v++) {
    const id = seqOf[v];
    if (id >= 0 && classOfSequence[id] >= 0) classOf[v] = classOfSequence[id];
  }
  scratch.release(mark);
}

/** JS objects with a constructor location are keyed by location + name. The last entry for a node wins. */
function applyLocations(g: HeapGraph, classOf: Uint32Array, reg: Registry): void {
  const lf = g.locationFieldCount;
  if (lf === 0 || g.locationNodeOffset < 0 || g.locationScriptOffset < 0 || g.locationLineOffset < 0 || g.locationColumnOffset < 0) return;
  const { locations, nodeFieldCount: nf, nodeCount: n, nodeType } = g;
  const objectType = g.types.object;
  let lastKey = '';
  let lastClass = -1;
  let lastBase = -1;
  let lastScript = -1;
  let lastLine = -1;
  let lastColumn = -1;
  for (let i = 0; i + lf <= locations.length; i += lf) {
    const index = locations[i + g.locationNodeOffset];
    if (index % nf !== 0 || index / nf >= n) continue;
    const v = index / nf;
    if (nodeType[v] !== objectType) continue;
    const scriptId = locations[i + g.locationScriptOffset];
    const line = locations[i + g.locationLineOffset];
    const column = locations[i + g.locationColumnOffset];
    const base = classOf[v];
    // Instances of one class are usually adjacent: skip the key string when nothing changed.
    if (base === lastBase && scriptId === lastScript && line === lastLine && column === lastColumn) {
      classOf[v] = lastClass;
      continue;
    }
    const name = reg.names[base];
    lastKey = `${scriptId},${line},${column},${name}`;
    lastClass = reg.id(lastKey, name, { scriptId, line, column });
    lastBase = base;
    lastScript = scriptId;
    lastLine = line;
    lastColumn = column;
    classOf[v] = lastClass;
  }
}
