import { describe, expect, it } from 'vitest';
import { sumBySite, type AllocationSiteTable, type CdpCallFrame, type SamplingNode } from '../../src/analysis/allocation-sites.js';
import { sampledLeaks, sessionSites } from '../../src/analysis/sampled-leaks.js';
import type { SampledHeap, SampledHeapPoint } from '../../src/model/recording.js';

const KiB = 1024;
let ids = 0;
const cf = (functionName: string, url: string, lineNumber = 9): CdpCallFrame => ({ functionName, url, lineNumber, columnNumber: 2, scriptId: '1' });
const node = (frame: CdpCallFrame, selfSize: number, children: SamplingNode[] = []): SamplingNode => ({ callFrame: frame, selfSize, id: ++ids, children });

const APP = 'file:///srv/app.mjs';
/** (root) > handler (app) > store (app) > push (node:internal) > repeat (builtin), and memprof's agent code. */
function profile(storeBytes: number, handlerBytes: number): { head: SamplingNode } {
  return {
    head: node(cf('(root)', ''), 0, [
      node(cf('handler', APP, 10), handlerBytes, [node(cf('store', APP, 20), 0, [node(cf('push', 'node:internal/fixed_queue'), 0, [node(cf('repeat', ''), storeBytes)])])]),
      node(cf('sample', ''), 5 * KiB),
    ]),
  };
}

describe('sumBySite', () => {
  it("attributes to the program's innermost frame, past builtins and Node's modules, and leaves memprof's agent out", () => {
    const sites: AllocationSiteTable = {};
    const point = sumBySite(profile(64 * KiB, 32 * KiB), sites);
    const byName = Object.fromEntries(Object.entries(point).map(([k, v]) => [sites[k].site.functionName, v[0]]));
    expect(byName).toEqual({ store: 64 * KiB, handler: 32 * KiB });
    const store = Object.values(sites).find((s) => s.site.functionName === 'store')!;
    expect(store.site).toEqual({ functionName: 'store', url: APP, line: 21, column: 3 });
    expect(store.stack.map((f) => f.functionName)).toEqual(['store', 'handler']);
  });
});

function heap(points: Array<Omit<SampledHeapPoint, 'bytes'> & { store: number; handler: number }>): SampledHeap {
  const sites: AllocationSiteTable = {};
  return {
    intervalBytes: 32 * KiB,
    reason: 'test',
    explicit: false,
    points: points.map(({ store, handler, ...p }) => ({ ...p, bytes: sumBySite(profile(store, handler), sites) })),
    sites,
  };
}

const MiB = 1024 * KiB;
describe('sampledLeaks', () => {
  const window = (store: number[], handler: number[], final?: { store: number; handler: number }) =>
    heap([
      ...store.map((s, i) => ({ t: 1000 * i, role: 'window' as const, connections: 10, requests: 1000 * i, store: s, handler: handler[i] })),
      ...(final ? [{ t: 10_000, role: 'final' as const, connections: 0, ...final }] : []),
    ]);

  it('names the site that grew in both halves of the window, with its rates; a bounded one is not a leak', () => {
    // store grows 1 MiB a second throughout; handler filled once (a cache at its bound).
    const r = sampledLeaks(window([1, 2, 3, 4, 5].map((x) => x * MiB), [0, 3, 3, 3, 3].map((x) => x * MiB), { store: 5 * MiB, handler: 0 }));
    expect(r.leaks!.map((l) => l.name)).toEqual(['store']);
    const [l] = r.leaks!;
    expect(l.kind).toBe('allocation-site');
    expect(l.growthBytes).toBe(4 * MiB);
    expect(l.bytesPerHour).toBe(4 * MiB * 900);
    expect(l.bytesPerRequest).toBe((4 * MiB) / 4000);
    expect(l.outlivesSessions).toBe(true);
    expect(l.path[0]).toBe('store (/srv/app.mjs:21:3)');
  });

  it('calls nothing below nine sampling intervals of growth: sampling noise', () => {
    expect(sampledLeaks(window([1, 1.05, 1.1].map((x) => x * MiB), [0, 0, 0])).leaks).toEqual([]);
  });

  it('says why there is no answer without two window points', () => {
    const r = sampledLeaks(window([MiB], [0]));
    expect(r.leaks).toBeNull();
    expect(r.notes.leaks).toMatch(/two points of the settled steady window/);
  });
});

describe('sessionSites', () => {
  it('fits each site against the sessions open over the baseline and the steps', () => {
    const h = heap([
      { t: 0, role: 'baseline', connections: 0, store: 0, handler: MiB },
      { t: 1, role: 'step', connections: 100, store: 2 * MiB, handler: MiB },
      { t: 2, role: 'step', connections: 200, store: 4 * MiB, handler: MiB },
    ]);
    const { sites } = sessionSites(h);
    expect(sites!.bytesPerSession).toBe(Math.round((2 * MiB) / 100));
    expect(sites!.sites.map((s) => [s.site.functionName, s.bytesPerSession, s.share])).toEqual([['store', Math.round((2 * MiB) / 100), 1]]);
  });

  it('is null, with the reason, with one session count', () => {
    const r = sessionSites(heap([{ t: 2, role: 'window', connections: 200, store: 4 * MiB, handler: 0 }]));
    expect(r.sites).toBeNull();
    expect(r.note).toMatch(/per-session allocation sites need/);
  });
});
