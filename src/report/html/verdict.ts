import type { CheckResult } from '../../model/report.js';
import { limitText, measuredText, statusOf, summaryLine, type CheckStatus } from '../checks-text.js';
import { esc } from './escape.js';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', 'n/a': '–', inconclusive: '?' };
const WORD: Record<CheckStatus, string> = { pass: 'pass', fail: 'fail', 'n/a': 'n/a', inconclusive: 'inconclusive' };

/** The overall verdict of the checklist, as `check` decides its exit code. */
export function overall(checks: CheckResult[]): { status: 'pass' | 'fail' | 'inconclusive' | 'unchecked'; text: string } {
  if (checks.length === 0) return { status: 'unchecked', text: 'no checks were evaluated' };
  const failed = checks.filter((c) => statusOf(c) === 'fail').length;
  const undecided = checks.filter((c) => statusOf(c) === 'inconclusive').length;
  if (failed) return { status: 'fail', text: `✗ ${failed} of ${checks.length} checks failed${undecided ? `, ${undecided} inconclusive` : ''}` };
  if (undecided) return { status: 'inconclusive', text: `? ${undecided} of ${checks.length} checks inconclusive (not a pass: hold longer)` };
  return { status: 'pass', text: `✓ all ${checks.length} checks pass` };
}

/** The checklist on top of the page: the verdict, then one row per check, server-rendered. */
export function verdictSection(checks: CheckResult[]): string {
  const v = overall(checks);
  const rows = checks
    .map((c) => {
      const s = statusOf(c);
      const why = c.reason ?? '';
      return (
        `<tr class="st-${s === 'n/a' ? 'na' : s}"><td class="mark" aria-label="${esc(WORD[s])}">${MARK[s]} <span class="word">${esc(WORD[s])}</span></td>` +
        `<td><code>${esc(c.id)}</code>${c.description && c.description !== c.id ? `<div class="muted">${esc(c.description)}</div>` : ''}</td>` +
        `<td class="num">${esc(measuredText(c))}</td><td class="num">${esc(limitText(c))}</td><td>${esc(why)}</td></tr>`
      );
    })
    .join('\n');
  const tableHtml = checks.length
    ? `<div class="scroll"><table class="checks"><thead><tr><th scope="col">result</th><th scope="col">check</th><th scope="col" class="num">measured</th><th scope="col" class="num">limit</th><th scope="col">reason</th></tr></thead>\n<tbody>${rows}</tbody></table></div>\n<p>${esc(summaryLine(checks))}</p>`
    : '';
  return `<section id="verdict"><h2>Checklist</h2>\n<p class="verdict v-${v.status}" data-verdict="${v.status}">${esc(v.text)}</p>\n${tableHtml}\n</section>`;
}
