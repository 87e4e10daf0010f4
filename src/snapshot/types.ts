import type { StringTable } from './parse/string-table.js';

/**
 * The parsed form of a .heapsnapshot: V8's flat arrays, kept flat. The parser (bytes in, this out)
 * and the analysis (this in, figures out) meet here; neither does I/O.
 *
 * Field layouts come from the file's own `snapshot.meta`, never assumed: V8 versions differ
 * (e.g. `detachedness` in node_fields since V8 8.x, `trace_node_id` optional).
 */
export interface SnapshotMeta {
  nodeFields: string[];
  /** Enum names per node field; for `type` this is the list of node type names. Non-enum fields hold a string such as "number" or "string". */
  nodeTypes: Array<string[] | string>;
  edgeFields: string[];
  edgeTypes: Array<string[] | string>;
  locationFields: string[];
  traceFunctionInfoFields?: string[];
  traceNodeFields?: string[];
  sampleFields?: string[];
}

export interface RawSnapshot {
  meta: SnapshotMeta;
  /** Declared in `snapshot.node_count` / `snapshot.edge_count` and checked against the arrays. */
  nodeCount: number;
  edgeCount: number;
  /** nodeCount * meta.nodeFields.length values. */
  nodes: Uint32Array;
  /** edgeCount * meta.edgeFields.length values; `to_node` holds a node index times the node field count, as V8 writes it. */
  edges: Uint32Array;
  /** The `strings` section (escapes and surrogate pairs resolved when read). */
  strings: StringTable;
  /** The `locations` section (may be empty). */
  locations: Uint32Array;
  /** Any extra top-level number the snapshot declares (e.g. `trace_function_count`). */
  traceFunctionCount: number;
  /** The root's node ordinal: 0 unless the header's `root_index` says otherwise (DevTools allows first or last). */
  rootOrdinal: number;
  /** `extra_native_bytes` (Chrome's embedder memory held by no node; 0 for Node): part of DevTools' total size. */
  extraNativeBytes: number;
  /** What the parser tolerated (e.g. surplus meta type entries), one line each; shown under --debug. */
  notes: string[];
}
