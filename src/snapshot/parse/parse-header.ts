import { SnapshotFormatError } from './parse-error.js';
import type { SnapshotMeta } from '../types.js';

export interface SnapshotHeader {
  meta: SnapshotMeta;
  /** Undefined when the header does not declare it; then the arrays' lengths decide. */
  nodeCount: number | undefined;
  edgeCount: number | undefined;
  traceFunctionCount: number;
  /** `root_index`: the root's position in `nodes` (ordinal × field count); 0 when not declared. */
  rootIndex: number;
  /** `extra_native_bytes`: native memory the embedder reports without nodes (Chrome); 0 when absent. */
  extraNativeBytes: number;
  /** What was tolerated in the header, for --debug (e.g. surplus type entries). */
  notes: string[];
}

const REQUIRED_NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count'];
const REQUIRED_EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];

type Fail = (problem: string) => never;

/**
 * Reads the small `snapshot` object (meta and counts). It is isolated from the stream first, so
 * JSON.parse here only ever sees a few kilobytes.
 *
 * It accepts what Chrome DevTools' loader accepts: the field lists (`node_fields`, `edge_fields`)
 * decide the layout, and only the `type` entry of `node_types`/`edge_types` is read, so extra
 * trailing type entries (Node 24's V8 writes 7 node_types for 6 node_fields) are ignored with a
 * note. What would make the numbers ambiguous is refused: a missing required field, a field
 * named twice, fewer type entries than fields, a `type` entry that is not a list of names.
 */
export function parseHeader(text: string, offset: number): SnapshotHeader {
  const fail = (problem: string): never => {
    throw new SnapshotFormatError(problem, offset, 'snapshot');
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(`the snapshot header is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(raw)) return fail('the snapshot header is not an object');
  const meta = raw.meta;
  if (!isObject(meta)) return fail('the snapshot header has no "meta" object: not a V8 heap snapshot');

  const notes: string[] = [];
  const nodeFields = fieldList(meta.node_fields, 'node_fields', REQUIRED_NODE_FIELDS, fail);
  const edgeFields = fieldList(meta.edge_fields, 'edge_fields', REQUIRED_EDGE_FIELDS, fail);
  const nodeTypes = typeList(meta.node_types, nodeFields, 'node', fail, notes);
  const edgeTypes = typeList(meta.edge_types, edgeFields, 'edge', fail, notes);

  const result: SnapshotMeta = {
    nodeFields,
    nodeTypes,
    edgeFields,
    edgeTypes,
    locationFields: meta.location_fields === undefined ? [] : stringList(meta.location_fields, 'location_fields', fail),
  };
  if (meta.trace_function_info_fields !== undefined) {
    result.traceFunctionInfoFields = stringList(meta.trace_function_info_fields, 'trace_function_info_fields', fail);
  }
  if (meta.trace_node_fields !== undefined) result.traceNodeFields = stringList(meta.trace_node_fields, 'trace_node_fields', fail);
  if (meta.sample_fields !== undefined) result.sampleFields = stringList(meta.sample_fields, 'sample_fields', fail);

  return {
    meta: result,
    nodeCount: count(raw.node_count, 'node_count', fail),
    edgeCount: count(raw.edge_count, 'edge_count', fail),
    traceFunctionCount: count(raw.trace_function_count, 'trace_function_count', fail) ?? 0,
    rootIndex: count(raw.root_index, 'root_index', fail) ?? 0,
    extraNativeBytes: count(raw.extra_native_bytes, 'extra_native_bytes', fail) ?? 0,
    notes,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, name: string, fail: Fail): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) {
    return fail(`meta.${name} is not a non-empty list of names`);
  }
  return v as string[];
}

/** A field list: names the layout needs, each once (a repeated name leaves its offset ambiguous). */
function fieldList(v: unknown, name: string, required: string[], fail: Fail): string[] {
  const fields = stringList(v, name, fail);
  for (const f of required) {
    if (!fields.includes(f)) fail(`meta.${name} lacks "${f}"`);
  }
  const repeated = fields.find((f, i) => fields.indexOf(f) !== i);
  if (repeated !== undefined) fail(`meta.${name} names "${repeated}" twice, so its values are ambiguous`);
  return fields;
}

/**
 * The per-field type descriptions, cut to the field list. Only the `type` field's entry is read
 * (its list of type names); the others describe their field ("string", "number") and are kept
 * for callers that print meta.
 */
function typeList(v: unknown, fields: string[], kind: 'node' | 'edge', fail: Fail, notes: string[]): Array<string[] | string> {
  const name = `${kind}_types`;
  const n = fields.length;
  if (!Array.isArray(v)) return fail(`meta.${name} is not a list`);
  if (v.length < n) {
    fail(`meta.${name} has ${v.length} entries for the ${n} fields of meta.${kind}_fields, so the fields' types are ambiguous`);
  }
  const kept = v.slice(0, n) as unknown[];
  for (const t of kept) {
    const ok = typeof t === 'string' || (Array.isArray(t) && t.every((s) => typeof s === 'string'));
    if (!ok) fail(`meta.${name} holds something other than names`);
  }
  if (!Array.isArray(kept[fields.indexOf('type')])) fail(`meta.${name} has no list of ${kind} type names for the "type" field`);
  if (v.length > n) {
    const extra = v.length - n;
    notes.push(
      `meta.${name} has ${v.length} entries for ${n} ${kind}_fields; the ${extra} extra ${extra === 1 ? 'entry' : 'entries'} ` +
        `(${clip(JSON.stringify(v.slice(n)))}) ignored, as DevTools does: the field list decides the layout`,
    );
  }
  return kept as Array<string[] | string>;
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function count(v: unknown, name: string, fail: Fail): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return fail(`${name} is not a non-negative integer`);
  return v;
}
