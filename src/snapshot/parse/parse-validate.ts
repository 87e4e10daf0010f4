import type { StringTable } from './string-table.js';
import { SnapshotFormatError } from './parse-error.js';
import type { SnapshotHeader } from './parse-header.js';
import type { RawSnapshot } from '../types.js';

export interface ParsedSections {
  header: SnapshotHeader;
  nodes: Uint32Array;
  edges: Uint32Array;
  strings: StringTable;
  locations: Uint32Array;
  /** File offset where each section's array began, for messages about its contents. */
  sectionOffsets: Record<string, number>;
}

/**
 * The checks the analysis relies on, so it can index the arrays without bounds checks of its
 * own: lengths match the declared counts, every edge lands on the start of a node, the nodes'
 * edge_count fields account for every edge exactly, and every name points into `strings`.
 */
export function validateSnapshot(p: ParsedSections): RawSnapshot {
  const { header, nodes, edges, strings, locations } = p;
  const { meta } = header;
  const nodeFieldCount = meta.nodeFields.length;
  const edgeFieldCount = meta.edgeFields.length;

  const nodeCount = checkLength('nodes', nodes.length, nodeFieldCount, header.nodeCount, 'node_count', p.sectionOffsets.nodes);
  const edgeCount = checkLength('edges', edges.length, edgeFieldCount, header.edgeCount, 'edge_count', p.sectionOffsets.edges);

  const typeOffset = meta.nodeFields.indexOf('type');
  const nameOffset = meta.nodeFields.indexOf('name');
  const edgeCountOffset = meta.nodeFields.indexOf('edge_count');
  const nodeTypeCount = (meta.nodeTypes[typeOffset] as string[]).length;
  const stringCount = strings.length;
  let edgeSum = 0;
  for (let i = 0; i < nodes.length; i += nodeFieldCount) {
    if (nodes[i + typeOffset] >= nodeTypeCount) {
      fail(`node #${i / nodeFieldCount} has type ${nodes[i + typeOffset]}, but meta.node_types lists only ${nodeTypeCount} types`, p, 'nodes');
    }
    if (nodes[i + nameOffset] >= stringCount) {
      fail(`node #${i / nodeFieldCount} names string ${nodes[i + nameOffset]}, but there are only ${stringCount} strings`, p, 'nodes');
    }
    edgeSum += nodes[i + edgeCountOffset];
  }
  if (edgeSum !== edgeCount) {
    fail(`the nodes' edge_count fields add up to ${edgeSum} edges, but the edges section holds ${edgeCount}`, p, 'nodes');
  }

  const edgeTypeOffset = meta.edgeFields.indexOf('type');
  const edgeNameOffset = meta.edgeFields.indexOf('name_or_index');
  const toNodeOffset = meta.edgeFields.indexOf('to_node');
  const edgeTypes = meta.edgeTypes[edgeTypeOffset] as string[];
  // Element and hidden edges carry an index in name_or_index; every other type names a string.
  const namedByIndex = new Uint8Array(Math.max(edgeTypes.length, 1));
  edgeTypes.forEach((t, k) => (namedByIndex[k] = t === 'element' || t === 'hidden' ? 1 : 0));
  const nodesLength = nodes.length;
  for (let i = 0; i < edges.length; i += edgeFieldCount) {
    const to = edges[i + toNodeOffset];
    if (to >= nodesLength || to % nodeFieldCount !== 0) {
      const why = to >= nodesLength ? `outside the ${nodeCount} nodes` : `not at the start of a node (not a multiple of ${nodeFieldCount} fields)`;
      fail(`edge #${i / edgeFieldCount} has to_node ${to}, ${why}`, p, 'edges');
    }
    const type = edges[i + edgeTypeOffset];
    if (type >= edgeTypes.length) {
      fail(`edge #${i / edgeFieldCount} has type ${type}, but meta.edge_types lists only ${edgeTypes.length} types`, p, 'edges');
    }
    if (namedByIndex[type] === 0 && edges[i + edgeNameOffset] >= stringCount) {
      fail(`edge #${i / edgeFieldCount} names string ${edges[i + edgeNameOffset]}, but there are only ${stringCount} strings`, p, 'edges');
    }
  }

  const rootOrdinal = checkRoot(header.rootIndex, nodeFieldCount, nodeCount, p);

  const locationFieldCount = meta.locationFields.length;
  if (locationFieldCount > 0 && locations.length % locationFieldCount !== 0) {
    fail(`the locations section holds ${locations.length} values, not a multiple of its ${locationFieldCount} fields`, p, 'locations');
  }

  return {
    meta,
    nodeCount,
    edgeCount,
    nodes,
    edges,
    strings,
    locations,
    traceFunctionCount: header.traceFunctionCount,
    rootOrdinal,
    extraNativeBytes: header.extraNativeBytes,
    notes: header.notes,
  };
}

/** `root_index` as DevTools reads it: the start of a node, and that node first or last (its dominator code needs one of the two). */
function checkRoot(rootIndex: number, nodeFieldCount: number, nodeCount: number, p: ParsedSections): number {
  if (rootIndex === 0) return 0;
  const fail = (why: string): never => {
    throw new SnapshotFormatError(`root_index ${rootIndex} ${why}`, p.sectionOffsets.snapshot, 'snapshot');
  };
  if (rootIndex % nodeFieldCount !== 0) fail(`is not at the start of a node (not a multiple of ${nodeFieldCount} fields)`);
  const ordinal = rootIndex / nodeFieldCount;
  if (ordinal >= nodeCount) fail(`is outside the ${nodeCount} nodes`);
  if (ordinal !== nodeCount - 1) fail(`names node #${ordinal}, but the root must be the first or the last node (as DevTools requires)`);
  return ordinal;
}

/** Length of a number section against its declared count; returns the count. */
export function checkLength(section: string, length: number, fieldCount: number, declared: number | undefined, countName: string, offset: number | undefined): number {
  if (declared !== undefined) {
    const expected = declared * fieldCount;
    if (length < expected) {
      throw new SnapshotFormatError(
        `the ${section} array is short: ${length} values, but ${countName} ${declared} × ${fieldCount} fields needs ${expected}`,
        undefined,
        section,
        offset,
      );
    }
    if (length > expected) {
      throw new SnapshotFormatError(
        `the ${section} array is too long: ${length} values, but ${countName} ${declared} × ${fieldCount} fields needs ${expected}`,
        undefined,
        section,
        offset,
      );
    }
    return declared;
  }
  if (length % fieldCount !== 0) {
    throw new SnapshotFormatError(`the ${section} array holds ${length} values, not a multiple of its ${fieldCount} fields`, undefined, section, offset);
  }
  return length / fieldCount;
}

function fail(problem: string, p: ParsedSections, section: string): never {
  throw new SnapshotFormatError(problem, undefined, section, p.sectionOffsets[section]);
}
