import { SnapshotFormatError } from './parse-error.js';
import type { SnapshotMeta } from './types.js';

export interface SnapshotHeader {
  meta: SnapshotMeta;
  /** Undefined when the header does not declare it; then the arrays' lengths decide. */
  nodeCount: number | undefined;
  edgeCount: number | undefined;
  traceFunctionCount: number;
}

const REQUIRED_NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count'];
const REQUIRED_EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];

/**
 * Reads the small `snapshot` object (meta and counts). It is isolated from the stream first, so
 * JSON.parse here only ever sees a few kilobytes.
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

  const nodeFields = stringList(meta.node_fields, 'node_fields', fail);
  const edgeFields = stringList(meta.edge_fields, 'edge_fields', fail);
  for (const f of REQUIRED_NODE_FIELDS) {
    if (!nodeFields.includes(f)) fail(`meta.node_fields lacks "${f}"`);
  }
  for (const f of REQUIRED_EDGE_FIELDS) {
    if (!edgeFields.includes(f)) fail(`meta.edge_fields lacks "${f}"`);
  }
  const nodeTypes = typeList(meta.node_types, nodeFields.length, 'node_types', fail);
  const edgeTypes = typeList(meta.edge_types, edgeFields.length, 'edge_types', fail);
  if (!Array.isArray(nodeTypes[nodeFields.indexOf('type')])) fail('meta.node_types has no list of node type names');
  if (!Array.isArray(edgeTypes[edgeFields.indexOf('type')])) fail('meta.edge_types has no list of edge type names');

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
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, name: string, fail: (p: string) => never): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) {
    return fail(`meta.${name} is not a non-empty list of names`);
  }
  return v as string[];
}

function typeList(v: unknown, length: number, name: string, fail: (p: string) => never): Array<string[] | string> {
  if (!Array.isArray(v) || v.length !== length) return fail(`meta.${name} does not match the field list (${length} fields)`);
  for (const t of v) {
    const ok = typeof t === 'string' || (Array.isArray(t) && t.every((s) => typeof s === 'string'));
    if (!ok) fail(`meta.${name} holds something other than names`);
  }
  return v as Array<string[] | string>;
}

function count(v: unknown, name: string, fail: (p: string) => never): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return fail(`${name} is not a non-negative integer`);
  return v;
}
