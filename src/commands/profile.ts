import type { ProfileFlags } from '../options/profile-flags.js';
import { connectTarget } from '../inspector/connect.js';
import { loadRunConfig } from '../profile/checks.js';
import { finishRun } from '../profile/finish.js';
import { guardInterrupts } from '../profile/interrupt.js';
import { makeOutDir } from '../profile/jsonl-writer.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { runProfile } from '../profile/profiler.js';

const progress = (line: string): void => void process.stderr.write(`memprof: ${line}\n`);

/** `memprof profile --target T ... --out DIR`: attach, measure, detach, write DIR/report.json. */
export async function profileCommand(flags: ProfileFlags & { target: string }): Promise<number> {
  const options = profileOptionsFromFlags(flags, flags.mcp);
  const config = loadRunConfig();
  // An output directory that cannot be made is said before anything is done to the target.
  makeOutDir(options.outDir);
  const live = await connectTarget(flags.target, { allowRemote: flags.allowRemote, timeoutMs: 4500, force: flags.force });
  const guard = guardInterrupts({ onForce: () => live.session.terminate() });
  try {
    const until = options.load ? '' : options.durationMs === undefined ? ' until Ctrl-C' : ` for ${options.durationMs / 1000} s`;
    progress(`profiling pid ${live.pid} (Node ${live.nodeVersion})${until}; writing to ${options.outDir}`);
    const rec = await runProfile(live, options, { signal: guard.signal, progress });
    await live.close();
    return (await finishRun(rec, options, { config, progress })).exitCode;
  } finally {
    await live.close();
    guard.dispose();
  }
}
