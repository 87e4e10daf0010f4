import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { memprof } from '../helpers.js';

const dir = 'fixtures/reports';
const read = (f: string) => JSON.parse(readFileSync(new URL(`../../${dir}/${f}`, import.meta.url), 'utf8'));

describe('the example reports and config in fixtures/reports', () => {
  it('are valid input: the report passes its config and its baseline, the stored checks match a fresh evaluation', () => {
    const r = memprof(['check', `${dir}/report.json`, '--config', `${dir}/memprof.config.json`, '--baseline', `${dir}/baseline.json`], {
      env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // 8 checks, each also against the baseline, and the load's throughput figures against it (higher is better).
    expect(r.stdout).toContain('18 checks: 18 passed, 0 failed — all pass');
    const report = read('report.json');
    const config = parseConfig(read('memprof.config.json'), 'memprof.config.json');
    expect(evaluateChecks(report, config, read('baseline.json')).every((x) => x.status === 'pass')).toBe(true);
  });

  it('plan works on the example report', () => {
    const r = memprof(['plan', `${dir}/report.json`, '--ram', '16GiB', '--price', '0.5', '--connections', '1000000']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('For 1,000,000 connections:');
  });
});
