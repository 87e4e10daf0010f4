import { guardInterrupts } from '../profile/interrupt.js';
import { toLoadOptions, type LoadFlags } from '../options/load-flags.js';
import { runLoad } from '../load/index.js';
import type { LoadSummary } from '../load/types.js';
import { formatLoadProgress, formatLoadText } from '../report/load-text.js';
import { loadOutput } from '../report/outputs.js';
import { useColor } from '../util/color.js';
import { inputError } from '../util/errors.js';
import { liveProgress } from '../util/tty.js';
import { loadStdioCommand } from './load-stdio.js';

/**
 * `memprof load --mcp URL`: drives MCP load and prints what it measured. Ctrl-C stops the load,
 * closes every session it opened, prints the summary so far and exits 130; a second Ctrl-C quits
 * at once.
 */
export async function loadCommand(opts: LoadFlags & { json?: boolean }, cmd: string[] = []): Promise<number> {
  if (opts.stdio) return loadStdioCommand(opts, cmd);
  if (cmd.length > 0) throw inputError(`load takes a command only with --stdio (got '${cmd.join(' ')}')`);
  if (!opts.mcp) throw inputError('load needs --mcp URL (the MCP Streamable HTTP endpoint, e.g. http://127.0.0.1:3000/mcp), or --stdio -- CMD');
  const guard = guardInterrupts({ stopping: 'stopping, closing the sessions opened' });

  const tty = liveProgress();
  const started = Date.now();
  let progressShown = false;
  let summary: LoadSummary;
  try {
    summary = await runLoad(toLoadOptions({ ...opts, mcp: opts.mcp }, guard.signal), {
      onProgress: tty
        ? (p) => {
            progressShown = true;
            process.stderr.write(`\r\x1b[K${formatLoadProgress(p, Date.now() - started)}`);
          }
        : undefined,
      onWarning: (message) => {
        if (progressShown) process.stderr.write('\r\x1b[K');
        process.stderr.write(`memprof: warning: ${message}\n`);
      },
    });
  } finally {
    if (progressShown) process.stderr.write('\r\x1b[K');
    guard.dispose();
  }

  if (opts.json) process.stdout.write(JSON.stringify(loadOutput(opts.mcp, summary), null, 2) + '\n');
  else process.stdout.write(formatLoadText(summary, opts.mcp, useColor()));
  return summary.interrupted ? 130 : 0;
}
