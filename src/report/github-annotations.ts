import type { CheckResult } from '../model/report.js';
import { failing, limitText, measuredText } from './checks-text.js';

/** `::error` workflow commands, one per failed or inconclusive check, for GitHub Actions to show on the run. */
export function renderGithubAnnotations(results: CheckResult[]): string {
  return results
    .filter(failing)
    .map(
      (r) =>
        `::error title=${property(`memprof check: ${r.id}`)}::${data(`${r.reason ?? 'failed'} (measured ${measuredText(r)}, limit ${limitText(r)})`)}\n`,
    )
    .join('');
}

// Escaping as the Actions runner decodes it (actions/toolkit, command.ts).
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
