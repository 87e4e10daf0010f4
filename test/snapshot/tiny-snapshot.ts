import { analyzeSnapshot, type HeapAnalysis } from '../../src/snapshot/analyze.js';
import { parseSnapshot } from '../../src/snapshot/parse/parser.js';

/**
 * Hand-built heap snapshots for rules small enough to check on a few nodes: a node list with
 * edges by node name, written as V8 writes a .heapsnapshot and read back by the real parser.
 */
export interface TinyNode {
  /** Unique in the snapshot; edges refer to nodes by it. */
  name: string;
  type: 'hidden' | 'array' | 'string' | 'object' | 'closure' | 'number' | 'synthetic' | 'code' | 'object shape';
  /** What V8 writes as the node's name (its class, for objects); defaults to `name`. */
  label?: string;
  id: number;
  size: number;
  edges?: Array<[type: 'context' | 'element' | 'property' | 'internal' | 'hidden' | 'shortcut' | 'weak', nameOrIndex: string | number, to: string]>;
}

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];

/** The first node is the root. */
export function tinySnapshot(nodes: TinyNode[]): HeapAnalysis {
  const strings: string[] = [];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  for (const n of nodes) {
    const edges = n.edges ?? [];
    flatNodes.push(NODE_TYPES.indexOf(n.type), str(n.label ?? n.name), n.id, n.size, edges.length, 0, 0);
    for (const [type, name, to] of edges) {
      const target = index.get(to);
      if (target === undefined) throw new Error(`no node ${to}`);
      const byIndex = type === 'element' || type === 'hidden';
      flatEdges.push(EDGE_TYPES.indexOf(type), byIndex ? Number(name) : str(String(name)), target * NODE_FIELDS.length);
    }
  }
  const json = {
    snapshot: {
      meta: {
        node_fields: NODE_FIELDS,
        node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
        location_fields: ['object_index', 'script_id', 'line', 'column'],
      },
      node_count: nodes.length,
      edge_count: flatEdges.length / 3,
    },
    nodes: flatNodes,
    edges: flatEdges,
    locations: [],
    strings,
  };
  return analyzeSnapshot(parseSnapshot(Buffer.from(JSON.stringify(json))));
}

/** Ordinal of the node named `name` (nodes keep their order). */
export function ordinalOf(nodes: TinyNode[], name: string): number {
  return nodes.findIndex((n) => n.name === name);
}
