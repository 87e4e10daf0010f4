import type { CheckResult } from '../model/report.js';
import { beforeAfter, failing, limitText, measuredText, statusOf } from './checks-text.js';

/**
 * JUnit XML for CI test reporters: one testcase per check (baseline comparisons are their own
 * testcases), failures and skipped (not applicable) counted on the testsuite. An inconclusive
 * check is a failure (it fails the gate) of type `inconclusive`, its message saying so.
 */
export function renderJunit(results: CheckResult[], opts: { suiteName?: string } = {}): string {
  const suite = opts.suiteName ?? 'memprof check';
  const failures = results.filter(failing).length;
  const skipped = results.filter((r) => statusOf(r) === 'n/a').length;
  const counts = `tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="memprof" ${counts}>`,
    `  <testsuite name="${xml(suite)}" ${counts}>`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="memprof.${r.comparison === 'baseline' ? 'baseline' : 'check'}" name="${xml(r.id)}" time="0"`;
    const ba = beforeAfter(r);
    // Baseline testcases carry the before/after row, so a CI reporter shows it for passes too.
    const row = ba ? `baseline ${ba.before} -> this run ${ba.after}${ba.change ? ` (${ba.change})` : ''}${ba.noise ? `, noise ${ba.noise} (2σ)` : ''}` : '';
    const detail = ba ? `${r.description}: ${row}, allowed ${limitText(r)}` : `${r.description}: measured ${measuredText(r)}, limit ${limitText(r)}`;
    const status = statusOf(r);
    const out1 = ba ? [`      <system-out>${xml(row)}</system-out>`] : [];
    if (status === 'pass') {
      out.push(...(ba ? [`${open}>`, ...out1, '    </testcase>'] : [`${open}/>`]));
    } else if (status === 'fail' || status === 'inconclusive') {
      const type = status === 'inconclusive' ? 'inconclusive' : r.comparison === 'baseline' ? 'regression' : 'limit';
      const message = r.reason ?? (status === 'inconclusive' ? 'inconclusive' : 'failed');
      out.push(`${open}>`, `      <failure message="${xml(message)}" type="${type}">${xml(detail)}</failure>`, ...out1, '    </testcase>');
    } else {
      out.push(`${open}>`, `      <skipped message="${xml(r.reason ?? 'not applicable')}"/>`, '    </testcase>');
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}

/** Escapes for text and attribute values, dropping characters XML 1.0 cannot carry at all. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
