import { describe, expect, it } from 'vitest';
import { planLeaks } from '../../src/profile/leak-pass.js';
import type { SnapshotRecord } from '../../src/profile/recording.js';
import { attributeGrowth, leakRates, rateGaps } from '../../src/snapshot/leaks/leak-rates.js';
import { sortedIds } from '../../src/snapshot/snapshot-ids.js';
import { containerEntries, digestSnapshot } from '../../src/snapshot/leaks/window-digest.js';
import { closeEvidence, containerSeries, growthEvidence, rises } from '../../src/snapshot/leaks/window-growth.js';
import { ordinalOf, tinySnapshot, type TinyNode } from './tiny-snapshot.js';

/** Root and the global object; `globals` are the global's properties (name -> node). */
function heap(globals: Record<string, string>, rest: TinyNode[]): TinyNode[] {
  return [
    { name: 'root', type: 'synthetic', label: '', id: 1, size: 0, edges: [['shortcut', 'global', 'global']] },
    { name: 'global', type: 'object', label: 'Object', id: 3, size: 40, edges: Object.entries(globals).map(([k, to]) => ['property', k, to] as ['property', string, string]) },
    { name: 'oddball', type: 'hidden', label: 'system / Oddball', id: 5, size: 16 },
    { name: 'mapShape', type: 'hidden', label: 'system / Map', id: 7, size: 40 },
    ...rest,
  ];
}

/** A Map holding `entries` [key, value] pairs through its hash table. */
function map(name: string, id: number, entries: Array<[string, string]>, extra: TinyNode[] = []): TinyNode[] {
  const table: TinyNode = { name: `${name}.table`, type: 'array', label: '', id: id + 1, size: 16 + 16 * entries.length, edges: [['internal', 'map', 'mapShape']] };
  entries.forEach(([k, v], i) => table.edges!.push(['internal', String(3 + 2 * i), k], ['internal', String(4 + 2 * i), v]));
  return [{ name, type: 'object', label: 'Map', id, size: 32, edges: [['internal', 'table', table.name]] }, table, ...extra];
}

/** An Array whose elements are `items` (element edges and its store's slots, as V8 writes them). */
function array(name: string, id: number, items: string[], storeSize = 16 + 8 * items.length): TinyNode[] {
  const store: TinyNode = { name: `${name}.store`, type: 'array', label: '', id: id + 1, size: storeSize, edges: items.map((to, i) => ['internal', String(i), to]) };
  return [{ name, type: 'object', label: 'Array', id, size: 32, edges: [...items.map((to, i) => ['element', i, to] as ['element', number, string]), ['internal', 'elements', store.name]] }, store];
}

const rec = (name: string, id: number): TinyNode => ({ name, type: 'object', label: 'Rec', id, size: 48 });
const key = (name: string, id: number): TinyNode => ({ name, type: 'string', label: `key-${id}`, id, size: 24 });

describe('containerEntries: what a container holds, counted on the snapshot\'s references', () => {
  const nodes = heap(
    { cache: 'cache', list: 'list', nums: 'nums', dict: 'dict' },
    [
      ...map('cache', 100, [['k1', 'r1'], ['k2', 'r2']]),
      ...array('list', 200, ['r3', 'r4', 'r5']),
      ...array('nums', 300, [], 16 + 8 * 50),
      { name: 'dict', type: 'object', label: 'Object', id: 400, size: 64, edges: [['property', 'a', 'r1'], ['property', 'b', 'r2'], ['property', 'c', 'oddball'], ['weak', 'w', 'r3']] },
      key('k1', 11),
      key('k2', 13),
      rec('r1', 21),
      rec('r2', 23),
      rec('r3', 25),
      rec('r4', 27),
      rec('r5', 29),
    ],
  );
  const a = tinySnapshot(nodes);
  const entries = (name: string) => containerEntries(a.graph, ordinalOf(nodes, name));

  it("a Map: its table's keys and values, not the table's own map", () => expect(entries('cache')).toBe(4));
  it("an Array: its elements (each counted as element and as its store's slot)", () => expect(entries('list')).toBe(6));
  it('an array of unboxed numbers holds no references: its growth shows in its shallow size only', () => {
    expect(entries('nums')).toBe(0);
    // DevTools' transfer folds the store into the Array.
    expect(a.graph.selfSize[ordinalOf(nodes, 'nums')]).toBe(32 + 16 + 8 * 50);
  });
  it('an object: its properties, not undefined or weak references', () => expect(entries('dict')).toBe(2));
});

describe('bounded or growing, from the containers across the window', () => {
  // The same process three times: a cache at its bound replacing its entries, a log that keeps
  // them, an array of numbers whose store is reallocated.
  const window = [0, 1, 2].map((k) => {
    const lruKeys = [key(`lk${k}a`, 1000 + 10 * k), key(`lk${k}b`, 1002 + 10 * k)];
    const lruValues = [rec(`lv${k}a`, 1004 + 10 * k), rec(`lv${k}b`, 1006 + 10 * k)];
    const logged = [0, 1, 2].slice(0, k + 1).map((i) => rec(`log${i}`, 2000 + 2 * i));
    const nodes = heap({ lru: 'lru', log: 'log', nums: 'nums' }, [
      ...map('lru', 100, [[lruKeys[0].name, lruValues[0].name], [lruKeys[1].name, lruValues[1].name]], [...lruKeys, ...lruValues]),
      ...array('log', 200, logged.map((n) => n.name)),
      ...logged,
      ...array('nums', 300, [], 16 + 8 * [16, 40, 76][k]),
    ]);
    return digestSnapshot(tinySnapshot(nodes), null);
  });

  it('a cache that replaces its entries is bounded, whatever it replaced', () => {
    const s = containerSeries([100], window);
    expect(s.entries).toEqual([4, 4, 4]);
    expect(growthEvidence(s)).toBeNull();
  });
  it('a log that keeps its entries grows in each half of the window', () => {
    const s = containerSeries([200], window);
    expect(s.entries).toEqual([2, 4, 6]);
    expect(growthEvidence(s)).toBe('entries 2 → 4 → 6');
  });
  it('an array of numbers grows by its store', () => {
    expect(growthEvidence(containerSeries([300], window))).toMatch(/^shallow size /);
  });
  it('an object not measured in every snapshot is left out of the sums', () => {
    expect(containerSeries([100, 999], window).measured).toBe(1);
  });
  it('growth only when every snapshot holds more than the one before (one step is not a trend)', () => {
    expect(rises([1, 2, 3])).toBe(true);
    expect(rises([1, 1, 3])).toBe(false);
    expect(rises([1, 3, 2])).toBe(false);
    expect(rises([1, 2])).toBe(true);
    expect(rises([1])).toBe(false);
  });
});

describe('closeEvidence: what a container gained when the sessions closed', () => {
  // BASELINE holds pooled states s1..s3 and nothing archived; at steady-end two states are in use
  // (held by sessions), one is free; at FINAL all three are back in the free list, and the two
  // sessions created during the run are in the archive.
  const baseline = sortedIds(tinySnapshot(heap({ free: 'free', archive: 'archive' }, [...array('free', 100, ['s1', 's2', 's3']), rec('s1', 21), rec('s2', 23), rec('s3', 25), ...array('archive', 200, [])])));
  const end = digestSnapshot(
    tinySnapshot(
      heap({ free: 'free', archive: 'archive', sessions: 'sessions' }, [
        ...array('free', 100, ['s1']),
        ...array('archive', 200, []),
        ...array('sessions', 300, ['a', 'b']),
        { name: 'a', type: 'object', label: 'Session', id: 51, size: 40, edges: [['property', 'state', 's2']] },
        { name: 'b', type: 'object', label: 'Session', id: 53, size: 40, edges: [['property', 'state', 's3']] },
        rec('s1', 21),
        rec('s2', 23),
        rec('s3', 25),
      ]),
    ),
    null,
  );
  const finalNodes = heap({ free: 'free', archive: 'archive' }, [
    ...array('free', 100, ['s1', 's2', 's3']),
    ...array('archive', 200, ['a', 'b']),
    { name: 'a', type: 'object', label: 'Session', id: 51, size: 40 },
    { name: 'b', type: 'object', label: 'Session', id: 53, size: 40 },
    rec('s1', 21),
    rec('s2', 23),
    rec('s3', 25),
  ]);
  const final = tinySnapshot(finalNodes);

  it('a pool given back its states: they are older than the baseline, so bounded', () => {
    expect(closeEvidence([ordinalOf(finalNodes, 'free')], end, final, baseline)).toBeNull();
  });
  it('an archive of the closed sessions: new objects, so a leak', () => {
    expect(closeEvidence([ordinalOf(finalNodes, 'archive')], end, final, baseline)).toBe('entries 0 → 4 when the sessions closed, 4 of them objects created during the run');
  });
});

describe('rates over the window', () => {
  const span = { ms: 30 * 60_000, requests: 1000 };
  it('per hour and per request', () => {
    expect(leakRates({ objects: 500, bytes: 64_000 }, span)).toEqual({ bytesPerHour: 128_000, objectsPerHour: 1000, bytesPerRequest: 64, objectsPerRequest: 0.5 });
  });
  it('no window: null, and why', () => {
    expect(leakRates({ objects: 1, bytes: 1 }, null)).toEqual({ bytesPerHour: null, objectsPerHour: null, bytesPerRequest: null, objectsPerRequest: null });
    expect(leakRates(null, span).bytesPerHour).toBeNull();
    expect(rateGaps(null).perHour).toMatch(/steady-start and steady-end/);
  });
  it('no request sent: per request null, per hour kept', () => {
    const rates = leakRates({ objects: 10, bytes: 1000 }, { ms: 3_600_000, requests: 0 });
    expect(rates.bytesPerRequest).toBeNull();
    expect(rates.bytesPerHour).toBe(1000);
    expect(rateGaps({ ms: 3_600_000, requests: 0 })).toEqual({ perRequest: expect.stringMatching(/no requests/) });
    expect(rateGaps({ ms: 3_600_000, requests: null }).perRequest).toMatch(/not counted/);
    expect(rateGaps({ ms: 0, requests: 5 }).perHour).toMatch(/no length/);
  });
});

describe('attributeGrowth: how much of the steady growth the leak groups explain', () => {
  it('part of it', () => {
    expect(attributeGrowth(1000, [{ bytesPerHour: 600 }, { bytesPerHour: 150 }])).toEqual({ explainedBytesPerHour: 750, unexplainedBytesPerHour: 250, share: 0.75 });
  });
  it('groups gaining more than the heap grew: all of it, nothing left', () => {
    expect(attributeGrowth(1000, [{ bytesPerHour: 1500 }])).toEqual({ explainedBytesPerHour: 1500, unexplainedBytesPerHour: 0, share: 1 });
  });
  it('no group: nothing explained, all of it left', () => {
    expect(attributeGrowth(1000, [])).toEqual({ explainedBytesPerHour: 0, unexplainedBytesPerHour: 1000, share: 0 });
  });
  it('flat or shrinking heap: no share', () => {
    expect(attributeGrowth(-20, [])).toEqual({ explainedBytesPerHour: 0, unexplainedBytesPerHour: 0, share: null });
  });
  it('growth not measured, or groups without rates: unknown, never 0', () => {
    expect(attributeGrowth(null, [{ bytesPerHour: 10 }])).toEqual({ explainedBytesPerHour: 10, unexplainedBytesPerHour: null, share: null });
    expect(attributeGrowth(1000, [{ bytesPerHour: null }])).toEqual({ explainedBytesPerHour: null, unexplainedBytesPerHour: null, share: null });
  });
});

describe('planLeaks: which snapshots the leak method reads', () => {
  const shot = (role?: SnapshotRecord['role'], top = false): SnapshotRecord => ({ path: `${role}.heapsnapshot`, label: role ?? 'x', t: 0, ...(role ? { role } : {}), ...(top ? { top } : {}) });
  it('by role, with the window', () => {
    const shots = [shot('baseline'), shot('step'), shot('steady-start'), shot('steady-mid'), shot('steady-end', true), shot('final')];
    expect(planLeaks(shots, true)).toEqual({ baseline: 0, target: 4, final: 5, window: [2, 3, 4] });
  });
  it('a window without its middle snapshot', () => {
    expect(planLeaks([shot('baseline'), shot('steady-start'), shot('steady-end'), shot('final')], true)?.window).toEqual([1, 2]);
  });
  it('a middle snapshot with almost none of the traffic on one side of it is left out (a slow snapshot ate that half)', () => {
    const at = (role: SnapshotRecord['role'], requests: number, closed: number): SnapshotRecord => ({ ...shot(role), requests, closed });
    const plan = (midRequests: number, midClosed: number) =>
      planLeaks([shot('baseline'), at('steady-start', 1000, 100), at('steady-mid', midRequests, midClosed), at('steady-end', 2000, 300), shot('final')], true)?.window;
    expect(plan(1500, 200)).toEqual([1, 2, 3]);
    expect(plan(1990, 300)).toEqual([1, 3]);
    expect(plan(1010, 100)).toEqual([1, 3]);
  });
  it('no roles: first, top step (or middle), last; no window', () => {
    expect(planLeaks([shot(), shot(), shot(undefined, true), shot()], true)).toEqual({ baseline: 0, target: 2, final: 3, window: null });
    expect(planLeaks([shot(), shot(), shot(), shot(), shot()], false)).toEqual({ baseline: 0, target: 2, final: 4, window: null });
  });
  it('fewer than 3 snapshots: none', () => expect(planLeaks([shot('baseline'), shot('final')], true)).toBeNull());
});
