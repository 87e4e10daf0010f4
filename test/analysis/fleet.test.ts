import { describe, expect, it } from 'vitest';
import { capacityPlan } from '../../src/analysis/capacity.js';
import { fleetReport } from '../../src/analysis/fleet.js';
import { perInstanceView } from '../../src/analysis/fleet-plan.js';
import { defaultConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { evaluateFleetChecks, worstChecks } from '../../src/check/fleet.js';
import type { CheckResult, FleetInstance } from '../../src/model/report.js';
import { share, splitLoad } from '../../src/profile/fleet-load.js';

const gc = (p99: number | null): FleetInstance['gc'] => ({
  minor: { count: 0, avgMs: null, p99Ms: null, maxMs: null },
  major: { count: p99 === null ? 0 : 1, avgMs: p99, p99Ms: p99, maxMs: p99 },
  totalMs: null,
  overheadPct: null,
});

function instance(k: number, opts: { sessions: number[]; perSession: number; steady: number; p99: number | null; status?: 'ok' | 'exited'; checks?: CheckResult[] }): FleetInstance {
  const fixed = 30e6;
  return {
    name: `#${k} pid ${100 + k}`,
    dir: `instances/${k}`,
    target: { pid: 100 + k, nodeVersion: 'v20.0.0', command: 'node server.js' },
    status: opts.status ?? 'ok',
    ...(opts.status === 'exited' ? { exited: { atSec: 3, how: 'inspector connection lost' } } : {}),
    durationSec: 10,
    memory: { heapUsedBytes: { start: fixed, end: fixed, peak: fixed + 1e6 }, rssBytes: { start: 2 * fixed, end: 2 * fixed, peak: 2 * fixed } },
    connections: {
      steps: opts.sessions.map((n) => ({ connections: n, heapUsedBytes: fixed + n * opts.perSession, rssBytes: 2 * fixed + 2 * n * opts.perSession, bytesPerConnection: null })),
      marginalBytesPerConnection: opts.perSession,
      fixedBytes: fixed,
      r2: 1,
    },
    growth: { loadBytesPerHour: 0, steadyBytesPerHour: opts.steady },
    gc: gc(opts.p99),
    pools: [],
    checks: opts.checks ?? [],
  };
}

const row = (id: string, measured: number | null, status: CheckResult['status']): CheckResult => ({
  id,
  description: id,
  limit: '< 10',
  measured,
  pass: status === 'pass' || status === 'n/a',
  status,
  op: '<',
  limitValue: 10,
  comparison: 'limit',
});

describe('a fleet report from its instances', () => {
  it('sums sessions and memory step by step, names the worst instance per section, and measures the spread', () => {
    const a = instance(0, { sessions: [5, 10, 15], perSession: 90_000, steady: 1e6, p99: 5 });
    const b = instance(1, { sessions: [5, 10, 20], perSession: 90_000, steady: 3e6, p99: 2 });
    const r = fleetReport([a, b], '0.0.0');
    expect(r.connections!.steps.map((s) => s.connections)).toEqual([10, 20, 35]);
    expect(r.connections!.marginalBytesPerConnection).toBeCloseTo(90_000, 0);
    expect(r.connections!.fixedBytes).toBeCloseTo(60e6, -1);
    expect(r.memory.heapUsedBytes.start).toBe(60e6);
    expect(r.growth.steadyBytesPerHour).toBe(3e6);
    expect(r.fleet).toMatchObject({ instances: 2, ok: 2, exited: 0, topConnections: [15, 20], mostLoaded: '#1 pid 101', steadyBytesPerHour: 4e6 });
    expect(r.fleet!.imbalance).toBeCloseTo(20 / 17.5 - 1, 6);
    expect(r.fleet!.worst).toMatchObject({ growth: '#1 pid 101', gc: '#0 pid 100' });
    expect(r.gc.major.p99Ms).toBe(5);
  });

  it('leaves an exited instance out of the sums and the checks, and keeps it in instances[]', () => {
    const a = instance(0, { sessions: [5, 10], perSession: 90_000, steady: 1e6, p99: 5, checks: [row('x', 4, 'pass')] });
    const dead = instance(1, { sessions: [5], perSession: 90_000, steady: 9e9, p99: 50, status: 'exited', checks: [row('x', 40, 'fail')] });
    const r = fleetReport([a, dead], '0.0.0');
    expect(r.connections!.steps.map((s) => s.connections)).toEqual([5, 10]);
    expect(r.fleet).toMatchObject({ ok: 1, exited: 1, worst: { growth: '#0 pid 100' } });
    expect(r.notes!['instances.#1 pid 101']).toMatch(/exited after 3\.0 s/);
    expect(worstChecks([a, dead])).toEqual([expect.objectContaining({ id: 'x', status: 'pass', instance: '#0 pid 100' })]);
  });
});

describe('the fleet checklist: the worst instance decides, named', () => {
  it('a fail outranks an inconclusive and a pass; among passes the figure nearest the limit; null is worst', () => {
    const a = instance(0, { sessions: [1], perSession: 1, steady: 0, p99: 1, checks: [row('g', 3, 'pass'), row('h', 2, 'pass'), row('k', 1, 'pass')] });
    const b = instance(1, { sessions: [1], perSession: 1, steady: 0, p99: 1, checks: [row('g', 12, 'fail'), row('h', 6, 'pass'), row('k', null, 'fail')] });
    const c = instance(2, { sessions: [1], perSession: 1, steady: 0, p99: 1, checks: [row('g', 9, 'inconclusive'), row('h', 5, 'pass'), row('k', 20, 'fail')] });
    const worst = worstChecks([a, b, c]);
    expect(worst.map((r) => [r.id, r.instance])).toEqual([
      ['g', '#1 pid 101'],
      ['h', '#1 pid 101'],
      ['k', '#1 pid 101'],
    ]);
  });
});

describe('check on a fleet report', () => {
  it('gives the verdict profile gave: each instance checked on its own, the worst named', () => {
    const [a, b] = [
      instance(0, { sessions: [5, 10], perSession: 90_000, steady: 1e5, p99: 5 }),
      instance(1, { sessions: [5, 10], perSession: 90_000, steady: 3e6, p99: 150 }),
    ].map((i) => ({ ...i, checks: evaluateChecks({ ...i, schema: 'memprof/report@1', tool: { name: 'memprof', version: '0' }, checks: [] }, defaultConfig()) }));
    const report = fleetReport([a, b], '0.0.0');
    report.checks = worstChecks([a, b]);
    const again = evaluateFleetChecks({ ...report, instances: report.instances! }, defaultConfig());
    expect(again.map((r) => [r.id, r.status, r.instance])).toEqual(report.checks.map((r) => [r.id, r.status, r.instance]));
    expect(again.find((r) => r.id === 'gc.major.maxMs')).toMatchObject({ status: 'fail', instance: '#1 pid 101' });
  });
});

describe('the load split over the fleet', () => {
  it('each instance gets its own URL and its share of every step; the shares add up to the step', () => {
    const parts = splitLoad({ url: 'x', ramp: [10, 25], msgRate: 2, lifetimeMs: 5000, rate: 10 }, ['http://a/mcp', 'http://b/mcp', 'http://c/mcp']);
    expect(parts.map((p) => p.url)).toEqual(['http://a/mcp', 'http://b/mcp', 'http://c/mcp']);
    expect(parts.map((p) => p.ramp)).toEqual([
      [4, 9],
      [3, 8],
      [3, 8],
    ]);
    expect(parts.every((p) => p.msgRate === 2 && p.rate === 10 / 3)).toBe(true);
    for (const total of [0, 1, 7, 30]) expect([0, 1, 2, 3].map((k) => share(total, 4, k)).reduce((s, v) => s + v, 0)).toBe(total);
  });
});

describe('plan from a fleet report', () => {
  it('plans from one instance\'s line (not the fleet\'s summed intercept) with the imbalance as a margin', () => {
    const a = instance(0, { sessions: [5, 10, 15], perSession: 100_000, steady: 0, p99: 1 });
    const b = instance(1, { sessions: [5, 10, 25], perSession: 100_000, steady: 0, p99: 1 });
    const { report, imbalance } = perInstanceView(fleetReport([a, b], '0.0.0'));
    expect(imbalance).toBeCloseTo(0.25, 6);
    expect(report.connections!.fixedBytes).toBeCloseTo(30e6, -1);
    const ram = 2 * 1024 ** 3;
    const plain = capacityPlan(report, { ramBytes: ram, connections: 100_000 });
    const fleet = capacityPlan(report, { ramBytes: ram, connections: 100_000, imbalance });
    // One instance's RSS line: 60 MB fixed (not the fleet's 120 MB), 200 KB per session.
    expect(fleet.fixedBytes).toBeCloseTo(60e6, -1);
    expect(fleet.marginalBytesPerConnection).toBeCloseTo(200_000, 0);
    expect(fleet.imbalanceMargin).toBeCloseTo(0.25, 6);
    expect(fleet.connectionsPerInstance).toBe(Math.floor((ram - 1024 ** 3 - fleet.fixedBytes) / fleet.marginalBytesPerConnection / 1.25));
    expect(fleet.deployments!.minimum.instances).toBeGreaterThan(plain.deployments!.minimum.instances);
  });
});
