import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from '../profile/atomic-write.js';
import { resolve } from 'node:path';
import { evaluateChecks } from '../check/evaluate.js';
import { loadRunConfig } from '../profile/checks.js';
import { failing, renderChecksText } from '../report/checks-text.js';
import { renderGithubAnnotations } from '../report/github-annotations.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { checkOutput } from '../report/outputs.js';
import { useColor } from '../util/color.js';
import { inputError } from '../util/errors.js';
import { readReport } from './read-report.js';

export interface CheckFlags {
  config?: string;
  baseline?: string;
  junit?: string;
  markdown?: string;
  json?: boolean;
}

/** `memprof check`: exit 0 when every check passes, 1 when one fails, 2 on bad input. */
export async function checkCommand(reportFile: string, opts: CheckFlags): Promise<number> {
  const report = readReport(reportFile, 'report');
  const config = loadRunConfig(opts.config);
  const baseline = opts.baseline ? readReport(opts.baseline, 'baseline') : undefined;
  const results = evaluateChecks(report, config, baseline);
  const failed = results.some(failing);

  if (opts.junit) writeAtomic(opts.junit, renderJunit(results), '--junit');
  const markdown = renderMarkdown(results, { title: `memprof check ${reportFile}` });
  if (opts.markdown) writeAtomic(opts.markdown, markdown, '--markdown');
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + '\n');
    } catch (err) {
      // The checks ran; a summary that cannot be written must not change their verdict.
      process.stderr.write(`memprof: warning: cannot append to $GITHUB_STEP_SUMMARY (${(err as Error).message})\n`);
    }
  }

  if (opts.json) {
    process.stdout.write(JSON.stringify(checkOutput(reportFile, opts.baseline ?? null, config.source, results, !failed), null, 2) + '\n');
  } else {
    const header =
      `memprof check ${reportFile} — checks: ${config.source}` +
      (opts.baseline ? `; baseline: ${opts.baseline}` : '');
    process.stdout.write(renderChecksText(results, { color: useColor(), header }));
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    // Annotations go to stdout, where the runner reads them, except under --json, whose stdout
    // is for machines; the runner reads stderr too.
    (opts.json ? process.stderr : process.stdout).write(renderGithubAnnotations(results));
  }
  return failed ? 1 : 0;
}

/** Never leaves a half-written file that looks complete (writeFileAtomic); one line on failure. */
function writeAtomic(file: string, text: string, flag: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (err) {
    throw inputError(`cannot write ${flag} file '${resolve(file)}': ${(err as Error).message}`);
  }
}
