import type { StringTable } from '../parse/string-table.js';
import { inputError } from '../../util/errors.js';
import type { Arena } from '../arena.js';
import type { RawSnapshot } from '../types.js';

/**
 * The heap graph in columns. Everything is a typed array indexed by node ordinal (0..nodeCount-1)
 * or edge ordinal, so the graph scales to tens of millions of nodes: no per-node objects, no
 * Map/Set keyed by node (they cap at 2^24 entries).
 *
 * Edges stay in the parser's flat array (no copy), with `to_node` rewritten in place from V8's
 * "node index times field count" to a node ordinal.
 */
export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  /** Per node: the type (index into `nodeTypeNames`), name (string index), id, self size. */
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  /** Self size; after `transferShallowSizes` it holds DevTools' shallow size (owned arrays folded in). */
  selfSize: Uint32Array;
  /** V8's detachedness field (0 unknown, 1 attached, 2 detached); all zero when the snapshot has none. */
  detachedness: Uint8Array;
  /** First edge ordinal of each node; `firstEdge[nodeCount]` = edgeCount. */
  firstEdge: Uint32Array;
  /** The raw edge array, `edgeFieldCount` values per edge, `to_node` holding an ordinal. */
  edges: Uint32Array;
  edgeFieldCount: number;
  edgeTypeOffset: number;
  edgeNameOffset: number;
  edgeToOffset: number;
  strings: StringTable;
  /** `locations`: per entry `locationFieldCount` values; offsets are -1 when the field is absent. */
  locations: Uint32Array;
  locationFieldCount: number;
  locationNodeOffset: number;
  locationScriptOffset: number;
  locationLineOffset: number;
  locationColumnOffset: number;
  /** Divides a location's `object_index` into a node ordinal. */
  nodeFieldCount: number;
  rootOrdinal: number;
  /** Chrome's `extra_native_bytes` (0 for Node): DevTools adds it to the total size. */
  extraNativeBytes: number;
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  types: NodeTypeIds;
  edgeTypes: EdgeTypeIds;
}

/** Node type ids as this snapshot numbers them; -1 when the snapshot's meta lacks the type. */
export interface NodeTypeIds {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  consString: number;
  slicedString: number;
  symbol: number;
  bigint: number;
  objectShape: number;
}

export interface EdgeTypeIds {
  context: number;
  element: number;
  property: number;
  internal: number;
  hidden: number;
  shortcut: number;
  weak: number;
}

function enumNames(list: Array<string[] | string>, offset: number, what: string): string[] {
  const names = offset >= 0 ? list[offset] : undefined;
  if (!Array.isArray(names)) throw inputError(`heap snapshot meta has no ${what} type list: the file is not a V8 heap snapshot`);
  return names;
}

function fieldOffset(fields: string[], name: string, what: string): number {
  const i = fields.indexOf(name);
  if (i < 0) throw inputError(`heap snapshot meta lacks the ${what} field '${name}': the file is not a V8 heap snapshot`);
  return i;
}

/**
 * Builds the columnar graph. Takes ownership of `raw`: its edge array is rewritten in place and
 * its node array is released (emptied) once copied into columns, so callers must not use `raw`
 * afterwards.
 */
export function buildGraph(raw: RawSnapshot, arena: Arena): HeapGraph {
  const meta = raw.meta;
  const nf = meta.nodeFields.length;
  const ef = meta.edgeFields.length;
  const typeOff = fieldOffset(meta.nodeFields, 'type', 'node');
  const nameOff = fieldOffset(meta.nodeFields, 'name', 'node');
  const idOff = fieldOffset(meta.nodeFields, 'id', 'node');
  const sizeOff = fieldOffset(meta.nodeFields, 'self_size', 'node');
  const edgeCountOff = fieldOffset(meta.nodeFields, 'edge_count', 'node');
  const detachedOff = meta.nodeFields.indexOf('detachedness');
  const eTypeOff = fieldOffset(meta.edgeFields, 'type', 'edge');
  const eNameOff = fieldOffset(meta.edgeFields, 'name_or_index', 'edge');
  const eToOff = fieldOffset(meta.edgeFields, 'to_node', 'edge');
  const nodeTypeNames = enumNames(meta.nodeTypes, typeOff, 'node');
  const edgeTypeNames = enumNames(meta.edgeTypes, eTypeOff, 'edge');
  if (nodeTypeNames.length > 255) throw inputError('heap snapshot declares more than 255 node types: not a V8 heap snapshot');

  const n = Math.floor(raw.nodes.length / nf);
  const edges = raw.edges;
  const e = Math.floor(edges.length / ef);
  if (n === 0) throw inputError('heap snapshot has no nodes: the file is empty or not a heap snapshot');

  const nodes = raw.nodes;
  const stringCount = raw.strings.length;
  const nodeType = arena.u8(n);
  const nodeName = arena.u32(n);
  const nodeId = arena.u32(n);
  const selfSize = arena.u32(n);
  const detachedness = arena.u8(n);
  const firstEdge = arena.u32(n + 1);
  let edgeOrdinal = 0;
  for (let i = 0, base = 0; i < n; i++, base += nf) {
    nodeType[i] = nodes[base + typeOff];
    nodeName[i] = nodes[base + nameOff];
    nodeId[i] = nodes[base + idOff];
    selfSize[i] = nodes[base + sizeOff];
    if (nodeName[i] >= stringCount) throw inputError(`heap snapshot node ${i} names string ${nodeName[i]}, beyond the strings table: the file is corrupt`);
    if (detachedOff >= 0) detachedness[i] = nodes[base + detachedOff] & 3;
    firstEdge[i] = edgeOrdinal;
    edgeOrdinal += nodes[base + edgeCountOff];
  }
  firstEdge[n] = edgeOrdinal;
  if (edgeOrdinal !== e) {
    throw inputError(`heap snapshot nodes declare ${edgeOrdinal} edges but the edges array holds ${e}: the file is corrupt`);
  }

  const limit = n * nf;
  for (let i = eToOff, end = e * ef; i < end; i += ef) {
    const to = edges[i];
    const ordinal = Math.floor(to / nf);
    if (to >= limit || ordinal * nf !== to) {
      throw inputError(`heap snapshot edge ${(i - eToOff) / ef} points to ${to}, not a node: the file is corrupt`);
    }
    edges[i] = ordinal;
  }

  const lf = meta.locationFields ?? [];
  const strings = raw.strings;
  const t = (name: string): number => nodeTypeNames.indexOf(name);
  const et = (name: string): number => edgeTypeNames.indexOf(name);
  return {
    nodeCount: n,
    edgeCount: e,
    nodeType,
    nodeName,
    nodeId,
    selfSize,
    detachedness,
    firstEdge,
    edges,
    edgeFieldCount: ef,
    edgeTypeOffset: eTypeOff,
    edgeNameOffset: eNameOff,
    edgeToOffset: eToOff,
    strings,
    locations: raw.locations,
    locationFieldCount: lf.length,
    locationNodeOffset: lf.indexOf('object_index'),
    locationScriptOffset: lf.indexOf('script_id'),
    locationLineOffset: lf.indexOf('line'),
    locationColumnOffset: lf.indexOf('column'),
    nodeFieldCount: nf,
    // V8 writes the synthetic root first; a header's root_index (checked by the parser) may say otherwise.
    rootOrdinal: raw.rootOrdinal,
    extraNativeBytes: raw.extraNativeBytes,
    nodeTypeNames,
    edgeTypeNames,
    types: {
      hidden: t('hidden'),
      array: t('array'),
      string: t('string'),
      object: t('object'),
      code: t('code'),
      closure: t('closure'),
      regexp: t('regexp'),
      number: t('number'),
      native: t('native'),
      synthetic: t('synthetic'),
      consString: t('concatenated string'),
      slicedString: t('sliced string'),
      symbol: t('symbol'),
      bigint: t('bigint'),
      objectShape: t('object shape'),
    },
    edgeTypes: {
      context: et('context'),
      element: et('element'),
      property: et('property'),
      internal: et('internal'),
      hidden: et('hidden'),
      shortcut: et('shortcut'),
      weak: et('weak'),
    },
  };
}
