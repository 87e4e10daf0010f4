import path from 'node:path';
import { renderReport } from '../report/report-text.js';
import type { Report } from '../model/report.js';
import { useColor } from '../util/color.js';
import { MemprofError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { assembleReport } from './assemble.js';
import { writeFileAtomic } from './atomic-write.js';
import { writeHtmlReport } from './html-output.js';
import type { CheckConfig } from '../check/config.js';
import { applyChecks } from './checks.js';
import type { ProfileOptions } from './profiler.js';
import type { Recording } from './recording.js';

export interface Finished {
  report: Report;
  reportPath: string;
  /** 0 all checks pass, 1 a check failed, 130 interrupted; a lost target throws (exit 2) after the report is written. */
  exitCode: number;
  checksFailed: boolean;
}

/**
 * Analyses the snapshots (after memprof detached, so the target is not held while it reads them),
 * turns the recording into DIR/report.json (written atomically, whatever way the run ended), prints
 * the human report to stdout, and decides the exit code: the checklist's, as `check` gives it (and
 * as `k6 run` fails on a threshold).
 */
/**
 * DIR/report.html beside report.json, on every way a run ends. The page only shows what
 * report.json holds: a failure to write it is a warning, never a change of the run's verdict.
 */
function writeHtml(outDir: string): void {
  try {
    process.stderr.write(`memprof: HTML report: ${writeHtmlReport(outDir)}\n`);
  } catch (err) {
    process.stderr.write(`memprof: warning: no HTML report (${(err as Error).message}); make it later with memprof report ${outDir}\n`);
  }
}

export async function finishRun(rec: Recording, options: ProfileOptions, opts: { config: CheckConfig; lostHint?: string; progress?: (line: string) => void }): Promise<Finished> {
  const outDir = options.outDir;
  if (options.snapshots > 0) {
    // Loaded only when needed: the snapshot engine is the heaviest part of memprof.
    const { analyzeSnapshots } = await import('./snapshot-analysis.js');
    await analyzeSnapshots(rec, options, opts.progress ?? (() => {}));
  }
  const report = assembleReport(rec, VERSION);
  const checksFailed = applyChecks(report, opts.config);
  const reportPath = path.join(outDir, 'report.json');
  try {
    writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
    writeHtml(outDir);
  } finally {
    // Even when report.json cannot be written (a full disk), what was measured reaches the user.
    process.stdout.write(renderReport(report, { color: useColor() }));
  }
  if (rec.failure) {
    throw new MemprofError(`${rec.failure}; what was measured before is in ${reportPath}`, 2);
  }
  if (rec.ended === 'target-lost') {
    throw new MemprofError(
      `the target went away during the run (${rec.notes.run ?? 'inspector connection closed'}); ${report.durationSec.toFixed(1)} s measured, written to ${reportPath}${opts.lostHint ? `; ${opts.lostHint}` : ''}`,
      2,
    );
  }
  if (rec.ended === 'interrupted') {
    process.stderr.write(`memprof: interrupted; ${report.durationSec.toFixed(1)} s measured, written to ${reportPath}\n`);
    return { report, reportPath, exitCode: 130, checksFailed };
  }
  process.stderr.write(`memprof: report written to ${reportPath}${checksFailed ? '; a check did not pass (exit 1)' : ''}\n`);
  return { report, reportPath, exitCode: checksFailed ? 1 : 0, checksFailed };
}

