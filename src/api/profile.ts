import path from 'node:path';
import type { ProfileFlags } from '../options/profile-flags.js';
import { defaultConfig, type CheckConfig } from '../check/config.js';
import { connectTarget } from '../inspector/connect.js';
import { assembleReport } from '../profile/assemble.js';
import { writeFileAtomic } from '../profile/atomic-write.js';
import { applyChecks } from '../profile/checks.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { runProfile } from '../profile/profiler.js';
import type { Recording } from '../profile/recording.js';
import type { Report } from '../model/report.js';
import { VERSION } from '../util/version.js';

/**
 * What `memprof profile` takes, as an object: each field is the flag in camelCase (`--msg-rate` is
 * `msgRate`), with values already parsed (durations in ms, `ramp` a number[], `header` "Name: value"
 * strings). Omitted fields take the flags' defaults. The same checks as the CLI's apply.
 */
export type ProfileSettings = Partial<Omit<ProfileFlags, 'debug' | 'verbose' | 'startupTimeout'>> & { out: string };

export interface ProfileCallOptions {
  /** The checklist to evaluate (default: the built-in checks; the CLI reads memprof.config.json). */
  config?: CheckConfig;
  /** Abort to stop the run early (as Ctrl-C does): what was measured is still reported. */
  signal?: AbortSignal;
  /** Progress lines (what the CLI prints on stderr). */
  onProgress?: (line: string) => void;
}

export interface ProfileResult {
  /** The report, also written to `out`/report.json, with the checklist's results in `checks`. */
  report: Report;
  reportPath: string;
  /** How the run ended: `interrupted` after the signal aborted, `target-lost` when the target went away. */
  ended: Recording['ended'];
  /** Why the run stopped early on an error of its own, else null. */
  failure: string | null;
  /** A check did not pass (the CLI exits 1). */
  checksFailed: boolean;
}

/**
 * `memprof profile --target T`: attaches to a live Node process (HOST:PORT, ws://..., pid:N),
 * measures it (driving MCP load with `mcp`), detaches, analyses the snapshots, and returns the
 * report. Throws a MemprofError (exitCode 2) on bad settings or an unreachable target.
 */
export async function profile(target: string, settings: ProfileSettings, opts: ProfileCallOptions = {}): Promise<ProfileResult> {
  const flags: ProfileFlags = { msgRate: 0, lifetime: 5000, interval: 1000, startupTimeout: 30_000, ...settings };
  const options = profileOptionsFromFlags(flags, flags.mcp);
  const progress = opts.onProgress ?? (() => {});
  const live = await connectTarget(target, { allowRemote: flags.allowRemote, force: flags.force });
  let rec: Recording;
  try {
    rec = await runProfile(live, options, { signal: opts.signal ?? new AbortController().signal, progress });
  } finally {
    await live.close();
  }
  if (options.snapshots > 0) {
    const { analyzeSnapshots } = await import('../profile/snapshot-analysis.js');
    await analyzeSnapshots(rec, options, progress);
  }
  const report = assembleReport(rec, VERSION);
  const checksFailed = applyChecks(report, opts.config ?? defaultConfig());
  const reportPath = path.join(options.outDir, 'report.json');
  writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, reportPath, ended: rec.ended, failure: rec.failure ?? null, checksFailed };
}
