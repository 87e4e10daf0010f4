import type { ProfileFlags } from '../options/profile-flags.js';
import { connectTarget } from '../inspector/connect.js';
import { loadRunConfig } from '../profile/checks.js';
import { finishRun } from '../profile/finish.js';
import { guardInterrupts } from '../profile/interrupt.js';
import { makeOutDir } from '../profile/jsonl-writer.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { runProfile } from '../profile/profiler.js';
import { endOf, plainOutput, progressOutput } from './progress-output.js';

/** `memprof profile --target T ... --out DIR`: attach, measure, detach, write DIR/report.json. */
export async function profileCommand(flags: ProfileFlags & { target: string }): Promise<number> {
  const options = profileOptionsFromFlags(flags, flags.mcp);
  const config = loadRunConfig(flags.config);
  // An output directory that cannot be made is said before anything is done to the target.
  makeOutDir(options.outDir);
  const live = await connectTarget(flags.target, { allowRemote: flags.allowRemote, timeoutMs: 4500, force: flags.force });
  const out = await progressOutput('memprof profile');
  const guard = guardInterrupts({
    onForce: () => {
      out.stop('interrupted');
      live.session.terminate();
    },
    say: out.say,
  });
  try {
    const until = options.load ? '' : options.durationMs === undefined ? ' until Ctrl-C' : ` for ${options.durationMs / 1000} s`;
    out.progress(`profiling pid ${live.pid} (Node ${live.nodeVersion})${until}; writing to ${options.outDir}`);
    const rec = await runProfile(live, options, { signal: guard.signal, progress: out.progress, onEvent: out.onEvent });
    out.stop(endOf(rec));
    await live.close();
    return (await finishRun(rec, options, { config, progress: plainOutput.progress })).exitCode;
  } finally {
    out.stop('failed');
    await live.close();
    guard.dispose();
  }
}
