import type { SampledHeapPoint } from '../model/recording.js';
import type { AllocationSite } from '../model/report.js';

/** A frame as CDP reports it (0-based line and column). */
export interface CdpCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** `HeapProfiler.getSamplingProfile`'s result: a call tree of live sampled bytes, and the samples. */
export interface SamplingProfile {
  head: SamplingNode;
  samples?: Array<{ size: number; nodeId: number; ordinal: number }>;
}

export interface SamplingNode {
  callFrame: CdpCallFrame;
  /** Estimated live bytes allocated at this node (V8 scales each sample by its probability). */
  selfSize: number;
  id: number;
  children: SamplingNode[];
}

/** Site key -> the site and one stack that reached it (filled by sumBySite). */
export type AllocationSiteTable = Record<string, { site: AllocationSite; stack: AllocationSite[] }>;

/** Frames kept in a site's stack: enough to reach the caller in the program from a library. */
const STACK_DEPTH = 8;

/**
 * Frames with no script (V8 builtins such as `repeat`, `(root)`, `(V8 API)`) and the code memprof
 * evaluates in the target (its agent, compiled without a URL) say nothing about the program.
 */
function hasScript(f: CdpCallFrame): boolean {
  return f.url !== '';
}

/** Node's own modules (`node:internal/...`, `node:events`): the allocation is the caller's. */
function isNodeInternal(f: CdpCallFrame): boolean {
  return f.url.startsWith('node:') || f.url.startsWith('internal/');
}

function frame(f: CdpCallFrame): AllocationSite {
  return { functionName: f.functionName || '(anonymous)', url: f.url, line: f.lineNumber + 1, column: f.columnNumber + 1 };
}

export function siteKey(s: AllocationSite): string {
  return `${s.functionName} ${s.url}:${s.line}:${s.column}`;
}

/** `fn (file.mjs:12:3)`, the way Node prints a stack frame. */
export function siteText(s: AllocationSite): string {
  return `${s.functionName} (${s.url.replace(/^file:\/\//, '')}:${s.line}:${s.column})`;
}

/**
 * Sums a sampling profile by allocation site: the innermost frame of the program (not Node's, not
 * V8's builtins, not memprof's agent); when only Node's frames are on the stack, the innermost of
 * those. Stacks with no script at all (memprof's agent, V8 internals) are left out. Beside the
 * bytes, the live samples are counted, not objects: the inspector reports a sample's size already
 * scaled (object size × the allocations it stands for), from which the object size of a small
 * object cannot be recovered (16 B × 2049 and 24 B × 1366 both read 32784). Pure.
 */
export function sumBySite(
  profile: SamplingProfile,
  sites: AllocationSiteTable,
): SampledHeapPoint['bytes'] {
  const out: SampledHeapPoint['bytes'] = {};
  const keyOfNode = new Map<number, string>();
  const path: CdpCallFrame[] = [];
  const visit = (node: SamplingNode): void => {
    path.push(node.callFrame);
    if (node.selfSize > 0) {
      const key = attribute(path, sites);
      if (key !== null) {
        keyOfNode.set(node.id, key);
        const row = (out[key] ??= [0, 0]);
        row[0] += node.selfSize;
      }
    }
    for (const child of node.children) visit(child);
    path.pop();
  };
  visit(profile.head);
  for (const s of profile.samples ?? []) {
    const key = keyOfNode.get(s.nodeId);
    if (key !== undefined) out[key][1]++;
  }
  return out;
}

/** The site of the allocation at the end of `path` (root first); registers it in `sites`. */
function attribute(path: CdpCallFrame[], sites: AllocationSiteTable): string | null {
  let at = -1;
  for (let i = path.length - 1; i >= 0 && at < 0; i--) if (hasScript(path[i]) && !isNodeInternal(path[i])) at = i;
  for (let i = path.length - 1; i >= 0 && at < 0; i--) if (hasScript(path[i])) at = i;
  if (at < 0) return null;
  const site = frame(path[at]);
  const key = siteKey(site);
  if (!sites[key]) {
    const stack: AllocationSite[] = [];
    for (let i = at; i >= 0 && stack.length < STACK_DEPTH; i--) {
      if (hasScript(path[i]) && (i === at || !isNodeInternal(path[i]))) stack.push(frame(path[i]));
    }
    sites[key] = { site, stack };
  }
  return key;
}
