import type { CheckResult } from '../model/report.js';
import { beforeAfter, limitText, measuredText, noteText, statusOf, summaryLine } from './checks-text.js';

const MARK = { pass: '✅', fail: '❌', 'n/a': '➖', inconclusive: '❔' } as const;

/** The checklist as GitHub-flavoured Markdown (a job summary, a PR comment). */
export function renderMarkdown(results: CheckResult[], opts: { title?: string } = {}): string {
  const failed = results.filter((r) => statusOf(r) === 'fail').length;
  const undecided = results.filter((r) => statusOf(r) === 'inconclusive').length;
  const n = results.length;
  const verdict = failed
    ? `❌ ${failed} of ${n} failed${undecided ? `, ${undecided} inconclusive` : ''}`
    : undecided
      ? `❔ ${undecided} of ${n} inconclusive (not a pass)`
      : `✅ all pass`;
  const out = [
    `### ${cell(opts.title ?? 'memprof check')}: ${verdict}`,
    '',
    '| | check | measured | limit | note |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    out.push(`| ${MARK[statusOf(r)]} | ${code(r.id)} | ${cell(measuredText(r))} | ${cell(limitText(r))} | ${cell(noteText(r))} |`);
  }
  const compared = results.filter((r) => beforeAfter(r) !== null);
  if (compared.length > 0) {
    // The regression gate as the study reads it: each figure before (baseline) and after (this run).
    out.push('', '#### Against the baseline', '', '| | figure | baseline | this run | change | noise (2σ) | allowed |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of compared) {
      const ba = beforeAfter(r)!;
      const figure = r.id.replace(/ vs baseline$/, '');
      out.push(`| ${MARK[statusOf(r)]} | ${code(figure)} | ${cell(ba.before)} | ${cell(ba.after)} | ${cell(ba.change)} | ${cell(ba.noise)} | ${cell(limitText(r))} |`);
    }
  }
  out.push('', summaryLine(results));
  return out.join('\n') + '\n';
}

/** Table cell text: pipes would split the cell, raw `<` would open HTML, newlines would end the row. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

function code(text: string): string {
  // A code span cannot escape a backtick or a pipe; fall back to an escaped plain cell then.
  return /[`|\r\n]/.test(text) ? cell(text) : `\`${text}\``;
}
