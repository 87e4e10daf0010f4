import { guardInterrupts } from '../profile/interrupt.js';
import { toLoadOptions, type LoadFlags } from '../options/load-flags.js';
import { runLoad } from '../load/index.js';
import type { LoadSummary } from '../load/types.js';
import { formatLoadText } from '../report/load-text.js';
import { loadOutput } from '../report/outputs.js';
import { useColor } from '../util/color.js';
import { inputError } from '../util/errors.js';
import { loadStdioCommand } from './load-stdio.js';
import { progressOutput } from './progress-output.js';

/**
 * `memprof load --mcp URL`: drives MCP load and prints what it measured. Ctrl-C stops the load,
 * closes every session it opened, prints the summary so far and exits 130; a second Ctrl-C quits
 * at once.
 */
export async function loadCommand(opts: LoadFlags & { json?: boolean }, cmd: string[] = []): Promise<number> {
  if (opts.stdio) return loadStdioCommand(opts, cmd);
  if (cmd.length > 0) throw inputError(`load takes a command only with --stdio (got '${cmd.join(' ')}')`);
  if (!opts.mcp) throw inputError('load needs --mcp URL (the MCP Streamable HTTP endpoint, e.g. http://127.0.0.1:3000/mcp), or --stdio -- CMD');
  // A person at a terminal watches the dashboard; a log gets no progress, only the summary.
  const out = await progressOutput('memprof load');
  const guard = guardInterrupts({ stopping: 'stopping, closing the sessions opened', say: out.say, onForce: () => out.stop('interrupted') });
  const load = toLoadOptions({ ...opts, mcp: opts.mcp }, guard.signal);

  const onEvent = out.onEvent;
  onEvent?.({ type: 'start', t: Date.now(), pid: null, outDir: '', ramp: load.ramp, holdMs: null, idleHoldMs: null, durationMs: null, snapshots: 0, intervalMs: 1000 });
  let summary: LoadSummary;
  try {
    summary = await runLoad(load, {
      onProgress: onEvent ? (progress) => onEvent({ type: 'load', t: Date.now(), progress }) : undefined,
      onWarning: (message) => out.progress(`warning: ${message}`),
    });
  } finally {
    out.stop(guard.signal.aborted ? 'interrupted' : 'complete');
    guard.dispose();
  }

  if (opts.json) process.stdout.write(JSON.stringify(loadOutput(opts.mcp, summary), null, 2) + '\n');
  else process.stdout.write(formatLoadText(summary, opts.mcp, useColor()));
  return summary.interrupted ? 130 : 0;
}
