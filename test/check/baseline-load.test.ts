import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import type { CheckResult, Report } from '../../src/model/report.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { sampleReport } from '../report/sample-report.js';

const cfg = parseConfig({ checks: { 'load.errors': '== 0' } }, 'c');
const row = (rows: CheckResult[], id: string) => rows.find((r) => r.id === id)!;
const withLoad = (patch: (l: NonNullable<Report['load']>) => void) => sampleReport((r) => patch(r.load!));

describe('check --baseline on the load figures', () => {
  const base = sampleReport();

  it('compares throughput (higher is better) and p99 latency (lower is better) whether or not a check names them', () => {
    const rows = evaluateChecks(withLoad((l) => ((l.msgPerSec = 800), (l.latencyMs.p99 = 10))), cfg, base);
    expect(rows.map((r) => r.id)).toEqual(['load.errors', 'load.msgPerSec vs baseline', 'load.connectPerSec vs baseline', 'load.latencyMs.p99 vs baseline']);
    expect(row(rows, 'load.msgPerSec vs baseline')).toMatchObject({ status: 'fail', baseline: 900, measured: 800, op: '>=' });
    expect(row(rows, 'load.msgPerSec vs baseline').reason).toMatch(/^regressed: 800 against baseline 900 \(-11\.1%\), more than 5% lower/);
    // Lower latency is an improvement, however much lower.
    expect(row(rows, 'load.latencyMs.p99 vs baseline')).toMatchObject({ status: 'pass', op: '<=' });
    expect(row(evaluateChecks(withLoad((l) => (l.latencyMs.p99 = 12)), cfg, base), 'load.latencyMs.p99 vs baseline').status).toBe('fail');
  });

  it('takes per-figure tolerances from the config for the load figures', () => {
    const loose = parseConfig({ checks: { 'load.errors': '== 0' }, baseline: { tolerances: { 'load.latencyMs.p99': '20%' } } }, 'c');
    expect(row(evaluateChecks(withLoad((l) => (l.latencyMs.p99 = 12)), loose, base), 'load.latencyMs.p99 vs baseline').status).toBe('pass');
    expect(() => parseConfig({ checks: { 'load.errors': '== 0' }, baseline: { tolerances: { 'gc.totalMs': '20%' } } }, 'c')).toThrow(/not one of the checks/);
  });

  it('a difference beyond the tolerance but inside the two runs\' noise is not a regression', () => {
    const noisy = (p99: number, se: number) => withLoad((l) => ((l.latencyMs.p99 = p99), (l.stdErr = { connectPerSec: null, msgPerSec: null, latencyP99Ms: se })));
    const baseline = noisy(11, 1);
    const inside = row(evaluateChecks(noisy(13, 1), cfg, baseline), 'load.latencyMs.p99 vs baseline');
    // +2 ms against 2σ of the difference: 2·sqrt(1² + 1²) = 2.83 ms.
    expect(inside.status).toBe('pass');
    expect(inside.stdErr).toBeCloseTo(Math.SQRT2, 6);
    expect(inside.reason).toMatch(/within the runs' own noise/);
    const beyond = row(evaluateChecks(noisy(14, 1), cfg, baseline), 'load.latencyMs.p99 vs baseline');
    expect(beyond.status).toBe('fail');
    expect(beyond.reason).toMatch(/noise ± 2\.8 ms/);
  });

  it('shows the before/after table in Markdown and the before/after row in JUnit', () => {
    const rows = evaluateChecks(withLoad((l) => (l.latencyMs.p99 = 22)), cfg, base);
    const md = renderMarkdown(rows);
    expect(md).toContain('#### Against the baseline');
    expect(md).toContain('| ❌ | `load.latencyMs.p99` | 11.0 ms | 22.0 ms | +100.0% |  | &lt;= 11.6 ms (baseline 11.0 ms + 5%) |');
    const xml = renderJunit(rows);
    expect(xml).toContain('<system-out>baseline 900 -&gt; this run 900 (+0.0%)</system-out>');
    expect(xml).toMatch(/name="load\.latencyMs\.p99 vs baseline" time="0">\s*<failure [^>]*type="regression">[^<]*<\/failure>\s*<system-out>baseline 11\.0 ms -&gt; this run 22\.0 ms \(\+100\.0%\)<\/system-out>/);
  });
});
