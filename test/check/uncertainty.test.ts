import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { spanNeededSec } from '../../src/check/uncertainty.js';
import { renderChecksText } from '../../src/report/checks-text.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { CheckResult } from '../../src/report/types.js';
import { sampleReport } from '../report/sample-report.js';

const MiB = 1024 * 1024;
const row = (rows: CheckResult[], id: string): CheckResult => {
  const r = rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};

/** The demo of the previous round: a 6 s hold whose slope came out −90 ± 151 MiB/h. */
const noisy = sampleReport((r) => {
  r.growth.steadyBytesPerHour = -90 * MiB;
  r.growth.steadyFit!.stdErrBytesPerHour = 151 * MiB;
  r.growth.steadyFit!.windowSec = 6;
});

describe('checks on figures with a standard error', () => {
  it('fails a "<" limit the value is under but its 2σ band is not, and says how long to hold', () => {
    const r = row(evaluateChecks(noisy, defaultConfig()), 'growth.steadyBytesPerHour');
    expect(r).toMatchObject({ pass: false, status: 'fail', measured: -90 * MiB, stdErr: 151 * MiB });
    expect(r.reason).toMatch(/^not verified: -90\.0 MiB\/h ± 302\.0 MiB\/h \(2σ\) over 6\.0 s reaches past < 1\.0 MiB\/h; hold longer \(≈ \d+ s needed at this noise\)$/);
    // SE falls as span^-3/2: to bring 151 MiB/h down to 0.5 MiB/h takes (302)^(2/3) ≈ 45 times the span.
    const needed = Number(/≈ (\d+) s/.exec(r.reason!)![1]);
    expect(needed).toBeGreaterThan(6 * 40);
    expect(needed).toBeLessThan(6 * 50);
  });

  it('passes when the whole band is under the limit, and a band over it fails as before', () => {
    const ok = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.1 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.3 * MiB;
    });
    expect(row(evaluateChecks(ok, defaultConfig()), 'growth.steadyBytesPerHour')).toMatchObject({ pass: true, status: 'pass', stdErr: 0.3 * MiB });
    const just = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.1 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.46 * MiB;
    });
    expect(row(evaluateChecks(just, defaultConfig()), 'growth.steadyBytesPerHour').status).toBe('fail');
    const over = sampleReport((r) => (r.growth.steadyBytesPerHour = 3 * MiB));
    expect(row(evaluateChecks(over, defaultConfig()), 'growth.steadyBytesPerHour').reason).toBe('3.0 MiB/h is not < 1.0 MiB/h');
  });

  it('uses the lower bound for ">" limits', () => {
    const cfg = parseConfig({ checks: { 'growth.loadBytesPerHour': '> 100MiB' } }, 'c');
    const tight = sampleReport((r) => (r.growth.loadFit!.stdErrBytesPerHour = 50 * MiB));
    expect(row(evaluateChecks(tight, cfg), 'growth.loadBytesPerHour').status).toBe('pass');
    const loose = sampleReport((r) => (r.growth.loadFit!.stdErrBytesPerHour = 150 * MiB));
    const r = row(evaluateChecks(loose, cfg), 'growth.loadBytesPerHour');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^not verified: 300\.0 MiB\/h ± 300\.0 MiB\/h \(2σ\) over 120\.0 s reaches past > 100\.0 MiB\/h/);
  });

  it('compares the value alone when the report has no standard error for it', () => {
    const bare = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.9 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = null;
    });
    const r = row(evaluateChecks(bare, defaultConfig()), 'growth.steadyBytesPerHour');
    expect(r.status).toBe('pass');
    expect(r.stdErr).toBeUndefined();
  });

  it('shows the ± in the table, the Markdown and the JUnit', () => {
    const rows = evaluateChecks(noisy, defaultConfig());
    for (const out of [renderChecksText(rows), renderMarkdown(rows), renderJunit(rows)]) {
      expect(out).toContain('-90.0 MiB/h ± 302.0 MiB/h (2σ)');
    }
    expect(renderJunit(rows)).toMatch(/<failure message="not verified: /);
  });

  it('estimates the span needed from the limit, not from a reading far on the passing side', () => {
    const u = { stdErr: 10, spanSec: 10 };
    // limit 4, measured 0: margin 4, target SE 2, (10/2)^(2/3) ≈ 2.92.
    expect(spanNeededSec(0, '<', 4, u)).toBeCloseTo(10 * Math.pow(5, 2 / 3), 6);
    // measured −100 is no larger margin than the limit's own size.
    expect(spanNeededSec(-100, '<', 4, u)).toBeCloseTo(10 * Math.pow(5, 2 / 3), 6);
    expect(spanNeededSec(5, '<', 4, u)).toBeNull();
    expect(spanNeededSec(0, '<', 4, { stdErr: 10, spanSec: null })).toBeNull();
  });
});
