import { guardInterrupts } from '../profile/interrupt.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stdioLoadOptions, type LoadFlags } from '../options/load-flags.js';
import { runStdioLoad, StdioSession } from '../load/stdio/index.js';
import type { LoadSummary } from '../load/types.js';
import { startTarget } from '../profile/target-process.js';
import { formatLoadText } from '../report/load-text.js';
import { stdioLoadOutput } from '../report/outputs.js';
import { useColor } from '../util/color.js';
import { inputError, MemprofError } from '../util/errors.js';

/**
 * `memprof load --stdio -- CMD`: starts CMD (no inspector), is its MCP client over stdin/stdout
 * for --hold, prints what it measured, and stops CMD and everything it started. CMD's stderr goes
 * to a target.log in a fresh temporary directory (named on stderr). Ctrl-C stops the calls,
 * prints the summary so far and exits 130.
 */
export async function loadStdioCommand(opts: LoadFlags & { json?: boolean }, cmd: string[]): Promise<number> {
  if (cmd.length === 0) throw inputError('load --stdio needs the server to start after --, e.g. memprof load --stdio -- node server.js');
  // Checked before anything starts; the signal is the guard's, set once the target runs.
  const checked = stdioLoadOptions(opts);
  const dir = mkdtempSync(path.join(tmpdir(), 'memprof-load-'));
  const target = startTarget(cmd, { dir, stdio: true, noInspector: true });
  const session = new StdioSession(target.protocol!.stdout, target.protocol!.stdin, target.command);
  const guard = guardInterrupts({ stopping: 'stopping the calls', onForce: () => target.killNow() });
  const options = { ...checked, signal: guard.signal };
  process.stderr.write(`memprof: started '${target.command}' (pid ${target.pid}); MCP over its stdin/stdout, its stderr goes to ${target.logPath}\n`);
  let summary: LoadSummary | null = null;
  let failure: unknown = null;
  let exitedEarly: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  try {
    summary = await runStdioLoad(options, {}, session);
  } catch (err) {
    failure = err;
    // What was measured before the server went away is still printed, then the one line.
    summary = session.lastSummary?.() ?? null;
    exitedEarly = await Promise.race([target.exited, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
  } finally {
    guard.dispose();
    await target.stop(5000);
  }
  if (summary) {
    if (opts.json) process.stdout.write(JSON.stringify(stdioLoadOutput(target.command, summary), null, 2) + '\n');
    else process.stdout.write(formatLoadText(summary, target.command, useColor()));
  }
  if (exitedEarly) {
    const { code, signal } = exitedEarly;
    throw new MemprofError(`'${target.command}' exited (${signal ?? `code ${code}`}) during the load; see ${target.logPath}`, 2);
  }
  if (failure) throw failure;
  return summary!.interrupted ? 130 : 0;
}
