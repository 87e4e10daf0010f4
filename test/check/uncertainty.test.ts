import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/check/config.js';
import { evaluateChecks } from '../../src/check/evaluate.js';
import { aboutDuration } from '../../src/check/evaluate.js';
import { holdNeededSec, spanNeededSec } from '../../src/check/uncertainty.js';
import { failing, renderChecksText } from '../../src/report/checks-text.js';
import { renderGithubAnnotations } from '../../src/report/github-annotations.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { CheckResult } from '../../src/model/report.js';
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
  it('calls a "<" limit the value is under but its 2σ band is not inconclusive (not a pass), with the hold that decides', () => {
    const r = row(evaluateChecks(noisy, defaultConfig()), 'growth.steadyBytesPerHour');
    expect(r).toMatchObject({ pass: false, status: 'inconclusive', measured: -90 * MiB, stdErr: 151 * MiB });
    expect(r.reason).toMatch(
      /^inconclusive: a hold of about (\d+) s decides at this noise \(-90\.0 MiB\/h ± 302\.0 MiB\/h \(2σ\) over 6\.0 s straddles < 1\.0 MiB\/h\)$/,
    );
    // SE falls as span^-3/2: to bring 151 MiB/h down to 0.5 MiB/h takes (302)^(2/3) ≈ 45 times the span.
    const needed = Number(/about (\d+) s/.exec(r.reason!)![1]);
    expect(needed).toBeGreaterThan(6 * 40);
    expect(needed).toBeLessThan(6 * 50);
  });

  it('is inconclusive too when the value is over the limit but its band reaches under it; a band wholly over fails', () => {
    const over = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 1.5 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.5 * MiB;
    });
    const r = row(evaluateChecks(over, defaultConfig()), 'growth.steadyBytesPerHour');
    expect(r).toMatchObject({ pass: false, status: 'inconclusive' });
    expect(r.reason).toMatch(/^inconclusive: a hold of about \d+ s decides at this noise \(1\.5 MiB\/h ± 1\.0 MiB\/h \(2σ\) over 50\.0 s straddles < 1\.0 MiB\/h\)$/);
    const clear = sampleReport((r) => (r.growth.steadyBytesPerHour = 3 * MiB));
    expect(row(evaluateChecks(clear, defaultConfig()), 'growth.steadyBytesPerHour')).toMatchObject({
      status: 'fail',
      reason: '3.0 MiB/h is not < 1.0 MiB/h',
    });
  });

  it('counts the settle period into the hold it asks for', () => {
    const settled = (settleSec: number) =>
      sampleReport((r) => {
        r.growth.steadyBytesPerHour = 0.5 * MiB;
        r.growth.steadyFit!.stdErrBytesPerHour = 0.4 * MiB;
        r.growth.steadyFit!.windowSec = 48;
        r.growth.steadyFit!.settleSec = settleSec;
      });
    const u = { stdErr: 0.4 * MiB, spanSec: 48 };
    const span = spanNeededSec(0.5 * MiB, '<', MiB, u)!;
    expect(holdNeededSec(0.5 * MiB, '<', MiB, { ...u, settleSec: 12, what: 'hold' })).toBeCloseTo(span * 1.25, 6);
    const without = row(evaluateChecks(settled(0), defaultConfig()), 'growth.steadyBytesPerHour').reason!;
    const with12 = row(evaluateChecks(settled(12), defaultConfig()), 'growth.steadyBytesPerHour').reason!;
    expect(without).toContain(`about ${aboutDuration(span)} decides`);
    expect(with12).toContain(`about ${aboutDuration(span * 1.25)} decides`);
  });

  it('passes when the whole band is under the limit', () => {
    const ok = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.1 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.3 * MiB;
    });
    expect(row(evaluateChecks(ok, defaultConfig()), 'growth.steadyBytesPerHour')).toMatchObject({ pass: true, status: 'pass', stdErr: 0.3 * MiB });
    const just = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.1 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.46 * MiB;
    });
    expect(row(evaluateChecks(just, defaultConfig()), 'growth.steadyBytesPerHour')).toMatchObject({ pass: false, status: 'inconclusive' });
  });

  it('uses the lower bound for ">" limits', () => {
    const cfg = parseConfig({ checks: { 'growth.loadBytesPerHour': '> 100MiB' } }, 'c');
    const tight = sampleReport((r) => (r.growth.loadFit!.stdErrBytesPerHour = 50 * MiB));
    expect(row(evaluateChecks(tight, cfg), 'growth.loadBytesPerHour').status).toBe('pass');
    const loose = sampleReport((r) => (r.growth.loadFit!.stdErrBytesPerHour = 150 * MiB));
    const r = row(evaluateChecks(loose, cfg), 'growth.loadBytesPerHour');
    expect(r).toMatchObject({ status: 'inconclusive', pass: false });
    expect(r.reason).toMatch(/^inconclusive: a load phase of about .* decides at this noise \(300\.0 MiB\/h ± 300\.0 MiB\/h \(2σ\) over 120\.0 s straddles > 100\.0 MiB\/h\)$/);
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

  it('still fails an unmeasured figure, with its reason, never inconclusive', () => {
    const none = sampleReport((r) => {
      r.growth.steadyBytesPerHour = null;
      r.notes = { 'growth.steadyBytesPerHour': 'only 2 heap points after GC in the settled window of the hold over 0.0 s' };
    });
    expect(row(evaluateChecks(none, defaultConfig()), 'growth.steadyBytesPerHour')).toMatchObject({
      status: 'fail',
      pass: false,
      reason: 'not measured: only 2 heap points after GC in the settled window of the hold over 0.0 s',
    });
  });

  it('says "inconclusive" in the table, the Markdown and the JUnit, with the ±, and counts it as not passing', () => {
    const rows = evaluateChecks(noisy, defaultConfig());
    for (const out of [renderChecksText(rows), renderMarkdown(rows), renderJunit(rows)]) {
      expect(out).toContain('-90.0 MiB/h ± 302.0 MiB/h (2σ)');
      expect(out).toContain('inconclusive: a hold of about');
    }
    const text = renderChecksText(rows);
    expect(text).toMatch(/^\? +growth\.steadyBytesPerHour +-90\.0 MiB\/h/m);
    expect(text).not.toMatch(/✗ +growth\.steadyBytesPerHour/);
    expect(text).toContain('6 checks: 5 passed, 0 failed, 1 inconclusive (not a pass: hold longer)');
    expect(text).not.toContain('all pass');
    const md = renderMarkdown(rows);
    expect(md).toMatch(/^### memprof check: ❔ 1 of 6 inconclusive \(not a pass\)$/m);
    expect(md).toMatch(/^\| ❔ \| `growth\.steadyBytesPerHour` \|/m);
    const junit = renderJunit(rows);
    expect(junit).toContain('failures="1"');
    expect(junit).toMatch(/<failure message="inconclusive: a hold of about \d+ s decides at this noise [^"]*" type="inconclusive">/);
    expect(renderGithubAnnotations(rows)).toMatch(/^::error title=memprof check%3A growth\.steadyBytesPerHour::inconclusive: /);
    expect(rows.filter(failing).map((r) => r.id)).toEqual(['growth.steadyBytesPerHour']);
  });

  it('estimates the span needed from the limit, not from a reading far from it', () => {
    const u = { stdErr: 10, spanSec: 10 };
    // limit 4, measured 0: margin 4, target SE 2, (10/2)^(2/3) ≈ 2.92.
    expect(spanNeededSec(0, '<', 4, u)).toBeCloseTo(10 * Math.pow(5, 2 / 3), 6);
    // measured −100 is no larger margin than the limit's own size.
    expect(spanNeededSec(-100, '<', 4, u)).toBeCloseTo(10 * Math.pow(5, 2 / 3), 6);
    // Over the limit by 1: the band must shrink to ±1 to clear it on the failing side.
    expect(spanNeededSec(5, '<', 4, u)).toBeCloseTo(10 * Math.pow(20, 2 / 3), 6);
    expect(spanNeededSec(4, '<', 4, u)).toBeNull();
    expect(spanNeededSec(0, '<', 4, { stdErr: 10, spanSec: null })).toBeNull();
  });

  it('rounds the hold it asks for the way a person would set one', () => {
    expect([42.2, 263, 599, 1234, 20_000].map(aboutDuration)).toEqual(['43 s', '270 s', '600 s', '21 min', '5.6 h']);
  });
});
