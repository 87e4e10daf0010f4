import type { ProfileFlags } from '../options/profile-flags.js';
import { connectTarget, type LiveTarget } from '../inspector/connect.js';
import { loadRunConfig } from '../profile/checks.js';
import { finishRun, type Finished } from '../profile/finish.js';
import { makeOutDir } from '../profile/jsonl-writer.js';
import { guardInterrupts, sleep } from '../profile/interrupt.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { runProfile } from '../profile/profiler.js';
import { isNodeCommand, livingGroupMembers, startTarget, type TargetProcess } from '../profile/target-process.js';
import { discoverMcpUrl, mergeDiscoveredUrl, needsDiscoveredPort, waitForUrl } from '../profile/wait-url.js';
import { listeningSockets } from '../inspector/proc.js';
import { LoadRequestError } from '../load/jsonrpc.js';
import { runStdioLoad, StdioSession } from '../load/stdio/index.js';
import { MemprofError } from '../util/errors.js';
import { endOf, plainOutput, progressOutput } from './progress-output.js';

/** --stdio: how long the warm-up calls the tool before the baseline. */
const STDIO_WARMUP_CALLS_MS = 10_000;

/** `memprof run [profile options] -- CMD ARGS...`: start CMD with an inspector, profile it, stop it. */
export async function runCommand(cmd: string[], flags: ProfileFlags): Promise<number> {
  return (await runAndProfile(cmd, flags)).exitCode;
}

/**
 * The body of `run`, shared with `demo`: returns what finishRun returned. Whatever happens (bad
 * input after start, Ctrl-C, the target dying, an exception), CMD and everything it started are
 * stopped before this returns or throws.
 */
export async function runAndProfile(cmd: string[], flags: ProfileFlags, title = 'memprof run'): Promise<Finished> {
  if (cmd.length === 0) throw new MemprofError('run needs a command after --, e.g. memprof run --mcp http://127.0.0.1:0/mcp -- node server.js', 2);
  // Validate every flag before starting anything.
  profileOptionsFromFlags(flags, flags.mcp ? 'http://127.0.0.1:1/validate-only' : undefined);
  if (flags.mcp) parseMcpUrl(flags.mcp);
  const config = loadRunConfig(flags.config);
  makeOutDir(flags.out);

  const out = await progressOutput(title);
  const progress = out.progress;
  const target = startTarget(cmd, { dir: flags.out, verbose: flags.verbose, stdio: flags.stdio });
  // Reading its stdout from the start: a banner printed before initialize is counted too.
  const stdio = target.protocol ? new StdioSession(target.protocol.stdout, target.protocol.stdin, target.command) : null;
  let live: LiveTarget | null = null;
  const guard = guardInterrupts({
    say: out.say,
    onForce: () => {
      out.stop('interrupted');
      live?.session.terminate();
      target.killNow();
    },
  });
  try {
    const startupMs = flags.startupTimeout;
    const started = Date.now();
    const left = (): number => Math.max(0, startupMs - (Date.now() - started));
    const stopEarly = (): boolean => !guard.signal.aborted && !target.hasExited();
    progress(
      stdio
        ? `started '${target.command}' (pid ${target.pid}); MCP over its stdin/stdout, its stderr goes to ${target.logPath}`
        : `started '${target.command}' (pid ${target.pid}); its output goes to ${target.logPath}`,
    );

    let mcpUrl = flags.mcp;
    if (mcpUrl && needsDiscoveredPort(mcpUrl)) {
      const announced = await raceInterrupt(
        discoverMcpUrl(target, left(), stopEarly, {
          groupMembers: livingGroupMembers,
          listeningPorts: async (pid) => (await listeningSockets(pid)).map((s) => s.port),
        }),
        guard.signal,
      );
      if (!announced) {
        if (guard.signal.aborted) throw new MemprofError('interrupted before the target was ready; nothing was measured', 130);
        await raceInterrupt(target.waitForListening(0), guard.signal);
      }
      mcpUrl = mergeDiscoveredUrl(mcpUrl, announced);
    }
    let wsUrl = await raceInterrupt(target.waitForInspector(left()), guard.signal);
    if (stdio) {
      // The answer to initialize says the server is up; a wrapper (npx, sh) has opened its own
      // inspector before it, so the server's is the last one opened by then.
      await raceInterrupt(openStdioSession(stdio, target, left(), startupMs), guard.signal);
    } else if (mcpUrl) {
      const ready = await waitForUrl(mcpUrl, left(), stopEarly);
      if (guard.signal.aborted) throw new MemprofError('interrupted before the target was ready; nothing was measured', 130);
      if (!ready) {
        if (target.hasExited()) await raceInterrupt(target.waitForInspector(0), guard.signal);
        throw new MemprofError(`${mcpUrl} did not accept connections within ${Math.round(startupMs / 1000)} s (--startup-timeout); see ${target.logPath}`, 2);
      }
    } else if (!isNodeCommand(cmd[0])) {
      // A wrapper (npx, sh, tsx) runs node itself first: the server is the last process to open an
      // inspector. Without --mcp to tell when it is ready, wait until no new inspector appears.
      let seen = target.inspectorUrls.length;
      for (let quiet = 0; quiet < 20 && left() > 0 && stopEarly(); quiet++) {
        await sleep(100, guard.signal);
        if (target.inspectorUrls.length !== seen) {
          seen = target.inspectorUrls.length;
          quiet = 0;
        }
      }
    }
    wsUrl = target.inspectorUrls[target.inspectorUrls.length - 1] ?? wsUrl;
    if (guard.signal.aborted) throw new MemprofError('interrupted before the target was ready; nothing was measured', 130);

    try {
      live = await connectTarget(wsUrl, { timeoutMs: 4500 });
    } catch (err) {
      // Most often CMD exited between opening its inspector and memprof attaching: say so.
      await Promise.race([target.exited, sleep(300)]);
      if (!target.hasExited()) throw err;
      const { code, signal } = await target.exited;
      throw new MemprofError(`'${target.command}' exited (${signal ?? `code ${code}`}) before memprof could attach; see ${target.logPath}`, 2);
    }
    const over = stdio ? ' with MCP load over its stdin/stdout' : mcpUrl ? ` with MCP load on ${mcpUrl}` : '';
    progress(`profiling pid ${live.pid} (Node ${live.nodeVersion})${over}; writing to ${flags.out}`);
    const options = profileOptionsFromFlags(flags, mcpUrl);
    const measured: { summary: StdioSession['lastSummary'] } = { summary: null };
    if (stdio) {
      // One session carries every call: the warm-up needs the calls many sessions would make for
      // the JIT and the server's lazily built state to settle before the baseline.
      options.warmupCallsMs = STDIO_WARMUP_CALLS_MS;
      options.runLoad = (load, hooks = {}) => {
        const running = runStdioLoad(load, hooks, stdio);
        // The warm-up has no hooks; the measured run's figures are the report's, even when it failed.
        if (hooks.onStep) measured.summary = stdio.lastSummary;
        return running;
      };
    }
    const exited = target.exited.then(({ code, signal }) => `'${target.command}' exited (${signal ?? `code ${code}`})`);
    const rec = await runProfile(live, options, { signal: guard.signal, progress, onEvent: out.onEvent, targetGone: exited });
    out.stop(endOf(rec));
    if (stdio) {
      rec.transport = 'stdio';
      rec.load ??= measured.summary?.() ?? null;
    }
    await live.close();
    live = null;
    await stopTarget(target);
    return await finishRun(rec, options, { config, progress: plainOutput.progress, lostHint: `see ${target.logPath}` });
  } finally {
    out.stop('failed');
    if (live) await live.close();
    await stopTarget(target);
    guard.dispose();
  }
}

/**
 * initialize and notifications/initialized over the target's stdin/stdout, within the startup
 * timeout. A target that exits meanwhile is reported as such (its exit code, target.log), not as
 * the closed pipe it leaves behind.
 */
async function openStdioSession(session: StdioSession, target: TargetProcess, timeoutMs: number, startupMs: number): Promise<void> {
  try {
    await session.open(timeoutMs);
  } catch (err) {
    if (err instanceof LoadRequestError && err.kind === 'closed') await Promise.race([target.exited, sleep(1000)]);
    if (target.hasExited()) {
      const { code, signal } = await target.exited;
      throw new MemprofError(`'${target.command}' exited (${signal ?? `code ${code}`}) before answering initialize on its stdin; see ${target.logPath}`, 2);
    }
    if (err instanceof LoadRequestError && err.kind === 'timeout') {
      throw new MemprofError(
        `'${target.command}' did not answer initialize on its stdin within ${Math.round(startupMs / 1000)} s (--startup-timeout); is it an MCP stdio server? see ${target.logPath}`,
        2,
      );
    }
    const why = session.client.closedReason?.message ?? (err instanceof Error ? err.message : String(err));
    throw new MemprofError(`'${target.command}' did not open an MCP session over stdio: ${why}; see ${target.logPath}`, 2);
  }
}

async function stopTarget(target: TargetProcess): Promise<void> {
  await target.stop(5000);
}

function parseMcpUrl(url: string): URL {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return u;
  } catch {
    throw new MemprofError(`invalid --mcp '${url}': expected an http:// URL such as http://127.0.0.1:3000/mcp (port 0 or none: read it from the server's "MCP server listening on" line)`, 2);
  }
}

/** Ctrl-C while waiting for the target to start: stop waiting (the caller stops the target). */
function raceInterrupt<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new MemprofError('interrupted before the target was ready; nothing was measured', 130));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new MemprofError('interrupted before the target was ready; nothing was measured', 130));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
