import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import type { CheckResult } from '../../src/model/report.js';
import { sampleReport } from '../report/sample-report.js';

const MiB = 1024 * 1024;
const byId = (rows: CheckResult[], id: string) => {
  const r = rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id} in ${rows.map((x) => x.id).join(', ')}`);
  return r;
};

describe('evaluateChecks', () => {
  it('passes a report within every default limit, one row per pool', () => {
    const rows = evaluateChecks(sampleReport(), defaultConfig());
    expect(rows.map((r) => r.id)).toEqual([
      'connections.marginalBytesPerConnection',
      'growth.steadyBytesPerHour',
      'gc.major.maxMs',
      'pools[sessions].reuseRatio',
      'pools[buffers].reuseRatio',
      'leaks.length',
    ]);
    expect(rows.every((r) => r.pass && r.status === 'pass')).toBe(true);
    expect(byId(rows, 'leaks.length').measured).toBe(0);
    expect(byId(rows, 'pools[sessions].reuseRatio')).toMatchObject({ measured: 0.9, limit: '> 0.85', unit: 'ratio', comparison: 'limit' });
  });

  it('fails a figure over its limit and says by how much', () => {
    const rows = evaluateChecks(sampleReport((r) => (r.connections!.marginalBytesPerConnection = 2.5 * MiB)), defaultConfig());
    const row = byId(rows, 'connections.marginalBytesPerConnection');
    expect(row).toMatchObject({ pass: false, status: 'fail', measured: 2.5 * MiB });
    expect(row.reason).toBe('2.5 MiB is not < 2.0 MiB');
  });

  it('fails a null figure with the report’s reason; never passes it', () => {
    const rows = evaluateChecks(
      sampleReport((r) => {
        r.gc.major = { count: 0, avgMs: null, p99Ms: null, maxMs: null };
        r.notes = { 'gc.major.maxMs': 'no major GC (mark-compact) during the run' };
        r.growth.steadyBytesPerHour = null;
        r.leaks = null;
        r.notes.leaks = 'snapshot 2 could not be read';
      }),
      defaultConfig(),
    );
    expect(byId(rows, 'gc.major.maxMs')).toMatchObject({ pass: false, status: 'fail', measured: null, reason: 'not measured: no major GC (mark-compact) during the run' });
    expect(byId(rows, 'growth.steadyBytesPerHour').reason).toBe('not measured: the report gives no reason');
    expect(byId(rows, 'leaks.length')).toMatchObject({ status: 'fail', reason: 'not measured: snapshot 2 could not be read' });
  });

  it('says next to gc.major checks when the figure comes from memprof’s forced GCs', () => {
    const forced = sampleReport((r) => (r.gc.major = { count: 4, avgMs: 11, p99Ms: 15, maxMs: 15, source: 'forced' }));
    expect(byId(evaluateChecks(forced, defaultConfig()), 'gc.major.maxMs')).toMatchObject({
      status: 'pass',
      measured: 15,
      description: "major GC (mark-compact): longest pause, from memprof's forced full GCs (no natural one): an upper bound",
    });
    const natural = sampleReport((r) => (r.gc.major.source = 'natural'));
    expect(byId(evaluateChecks(natural, defaultConfig()), 'gc.major.maxMs').description).toBe('major GC (mark-compact): longest pause');
  });

  it('knows the figures issue 8 added (a typo in them is still an error)', () => {
    const report = sampleReport((r) => {
      r.gc.forced = { count: 4, totalMs: 80, maxMs: 30, overheadPct: 0.08 };
      r.pools[0].total = { created: 600, reused: 900, reuseRatio: 0.6 };
      r.leaks = [{ name: 'Session', count: 3, retainedSize: 300, growthBytes: 300, path: [], bytesPerHour: 2 * MiB, bytesPerRequest: 120, objectsPerRequest: 1, objectsPerHour: 100 }];
      r.growth.attribution = { explainedBytesPerHour: 2 * MiB, unexplainedBytesPerHour: 0.1 * MiB, share: 0.95 };
      r.growth.steadyFit!.settleSec = 12;
    });
    const cfg = parseConfig(
      {
        checks: {
          'gc.forced.overheadPct': '< 1%',
          'gc.forced.maxMs': '< 100ms',
          'pools.*.total.reuseRatio': '> 0.5',
          'leaks.*.bytesPerRequest': '< 1KiB',
          'growth.attribution.share': '> 0.9',
          'growth.steadyFit.settleSec': '< 30s',
        },
      },
      'c',
    );
    const rows = evaluateChecks(report, cfg);
    expect(rows.map((r) => [r.id, r.status, r.unit])).toEqual([
      ['gc.forced.overheadPct', 'pass', 'pct'],
      ['gc.forced.maxMs', 'pass', 'ms'],
      ['pools[sessions].total.reuseRatio', 'pass', 'ratio'],
      ['pools[buffers].total.reuseRatio', 'n/a', 'ratio'],
      ['leaks[Session].bytesPerRequest', 'pass', 'bytes'],
      ['growth.attribution.share', 'pass', 'number'],
      ['growth.steadyFit.settleSec', 'pass', 'sec'],
    ]);
    expect(byId(rows, 'leaks[Session].bytesPerRequest').description).toBe("leak 'Session': bytes kept per request");
    expect(byId(rows, 'pools[sessions].total.reuseRatio').description).toBe("pool 'sessions': reuse ratio reused / (created + reused) (totals as read at the end)");
    expect(() => evaluateChecks(report, parseConfig({ checks: { 'gc.forced.maxMS': '< 1' } }, 'c'))).toThrow(/typo/);
  });

  it('treats an absent section or an empty wildcard as not applicable, unless required', () => {
    const report = sampleReport((r) => {
      delete r.connections;
      delete r.leaks;
      r.pools = [];
    });
    const rows = evaluateChecks(report, defaultConfig());
    for (const id of ['connections.marginalBytesPerConnection', 'pools.*.reuseRatio', 'leaks.length']) {
      expect(byId(rows, id)).toMatchObject({ status: 'n/a', pass: true, measured: null });
    }
    expect(byId(rows, 'pools.*.reuseRatio').reason).toMatch(/'pools' is empty/);
    expect(byId(rows, 'leaks.length').reason).toMatch(/'leaks' is not in this report/);

    const strict = parseConfig({ required: ['leaks.length', 'pools.*.reuseRatio'] }, 'f');
    const rows2 = evaluateChecks(report, strict);
    expect(byId(rows2, 'leaks.length')).toMatchObject({ status: 'fail', pass: false });
    expect(byId(rows2, 'leaks.length').reason).toMatch(/^required, but/);
    expect(byId(rows2, 'pools.*.reuseRatio').status).toBe('fail');
    expect(byId(rows2, 'connections.marginalBytesPerConnection').status).toBe('n/a');
  });

  it('refuses a path report.json does not define, or one that names a non-number', () => {
    expect(() => evaluateChecks(sampleReport(), parseConfig({ checks: { 'gc.majr.maxMs': '< 100' } }, 'c.json'))).toThrow(
      /c.json: checks."gc.majr.maxMs".*typo/,
    );
    expect(() => evaluateChecks(sampleReport(), parseConfig({ checks: { 'gc.major': '< 100' } }, 'c.json'))).toThrow(/an object in the report, not a number/);
    expect(() => evaluateChecks(sampleReport(), parseConfig({ checks: { leaks: '< 1' } }, 'c.json'))).toThrow(/leaks.length/);
    // A field the report adds later is checkable without a schema change.
    const extra = sampleReport((r) => ((r.gc as unknown as Record<string, number>).compactions = 3));
    expect(evaluateChecks(extra, parseConfig({ checks: { 'gc.compactions': '< 5' } }, 'c.json'))[0].status).toBe('pass');
  });

  it('indexes wildcards without names and counts arrays', () => {
    const cfg = parseConfig({ checks: { 'connections.steps.*.bytesPerConnection': '< 120KiB', 'connections.steps.length': '>= 3' } }, 'c');
    const rows = evaluateChecks(sampleReport(), cfg);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['connections.steps.0.bytesPerConnection', 'fail'], // 40 MiB / 100 = 440 KiB: the naive figure at small N
      ['connections.steps.1.bytesPerConnection', 'pass'],
      ['connections.steps.2.bytesPerConnection', 'pass'],
      ['connections.steps.length', 'pass'],
    ]);
  });
});

describe('evaluateChecks with a baseline', () => {
  const base = sampleReport();
  const cfg = defaultConfig();
  const with_ = (patch: Parameters<typeof sampleReport>[0]) => evaluateChecks(sampleReport(patch), cfg, base);

  it('adds one comparison row per numeric figure with a direction', () => {
    const rows = evaluateChecks(sampleReport(), cfg, base);
    const baselineRows = rows.filter((r) => r.comparison === 'baseline');
    // leaks.length uses ==, which has no "worse" direction.
    expect(baselineRows.map((r) => r.id)).toEqual([
      'connections.marginalBytesPerConnection vs baseline',
      'growth.steadyBytesPerHour vs baseline',
      'gc.major.maxMs vs baseline',
      'pools[sessions].reuseRatio vs baseline',
      'pools[buffers].reuseRatio vs baseline',
      // The load figures are compared with any baseline, named by a check or not.
      'load.msgPerSec vs baseline',
      'load.connectPerSec vs baseline',
      'load.latencyMs.p99 vs baseline',
    ]);
    expect(baselineRows.every((r) => r.status === 'pass')).toBe(true);
    expect(byId(rows, 'gc.major.maxMs vs baseline')).toMatchObject({ baseline: 25, limitValue: 25 * 1.05, op: '<=' });
  });

  it('for "<" figures, bigger by more than the tolerance is a regression, within it is not', () => {
    const worse = with_((r) => (r.connections!.marginalBytesPerConnection = 30 * 1024 * 1.06));
    const row = byId(worse, 'connections.marginalBytesPerConnection vs baseline');
    expect(row).toMatchObject({ status: 'fail', pass: false, baseline: 30 * 1024 });
    expect(row.reason).toMatch(/regressed: 31\.8 KiB against baseline 30\.0 KiB \(\+6\.0%\), more than 5% higher/);
    // The limit itself still passes: the regression is its own row.
    expect(byId(worse, 'connections.marginalBytesPerConnection').status).toBe('pass');
    expect(byId(with_((r) => (r.connections!.marginalBytesPerConnection = 30 * 1024 * 1.04)), 'connections.marginalBytesPerConnection vs baseline').status).toBe('pass');
    // Smaller is an improvement, however much smaller.
    expect(byId(with_((r) => (r.connections!.marginalBytesPerConnection = 1024)), 'connections.marginalBytesPerConnection vs baseline').status).toBe('pass');
  });

  it('for ">" figures, smaller by more than the tolerance is a regression, bigger is not', () => {
    const worse = with_((r) => (r.pools[0].reuseRatio = 0.9 * 0.94));
    expect(byId(worse, 'pools[sessions].reuseRatio vs baseline').status).toBe('fail');
    expect(byId(worse, 'pools[sessions].reuseRatio vs baseline').reason).toMatch(/lower/);
    expect(byId(with_((r) => (r.pools[0].reuseRatio = 0.9 * 0.96)), 'pools[sessions].reuseRatio vs baseline').status).toBe('pass');
    expect(byId(with_((r) => (r.pools[0].reuseRatio = 0.999)), 'pools[sessions].reuseRatio vs baseline').status).toBe('pass');
  });

  it('is n/a when the baseline lacks the figure, and uses absolute tolerances when configured', () => {
    const noPool = sampleReport((r) => r.pools.splice(1, 1));
    const rows = evaluateChecks(sampleReport(), cfg, noPool);
    expect(byId(rows, 'pools[buffers].reuseRatio vs baseline')).toMatchObject({ status: 'n/a', baseline: null });

    // A growth near zero: 5% of 0.25 MiB/h is noise, an absolute slack is what a user wants.
    const abs = parseConfig({ checks: { 'growth.steadyBytesPerHour': '< 1MiB' }, baseline: { tolerances: { 'growth.steadyBytesPerHour': '256KiB' } } }, 'c');
    const ok = evaluateChecks(sampleReport((r) => (r.growth.steadyBytesPerHour = 0.45 * MiB)), abs, base);
    expect(byId(ok, 'growth.steadyBytesPerHour vs baseline').status).toBe('pass');
    const bad = evaluateChecks(sampleReport((r) => (r.growth.steadyBytesPerHour = 0.55 * MiB)), abs, base);
    expect(byId(bad, 'growth.steadyBytesPerHour vs baseline').status).toBe('fail');
  });

  it('adds no comparison row for a figure this run did not measure (its limit row already fails)', () => {
    const rows = with_((r) => (r.growth.steadyBytesPerHour = null));
    expect(byId(rows, 'growth.steadyBytesPerHour').status).toBe('fail');
    expect(rows.find((r) => r.id === 'growth.steadyBytesPerHour vs baseline')).toBeUndefined();
  });
});
