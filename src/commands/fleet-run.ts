import { mkdirSync } from 'node:fs';
import { connectTarget, type LiveTarget } from '../inspector/connect.js';
import { listeningSockets } from '../inspector/proc.js';
import { servingNodeProcesses } from '../inspector/workers.js';
import type { ProfileFlags } from '../options/profile-flags.js';
import { loadRunConfig } from '../profile/checks.js';
import type { Finished } from '../profile/finish.js';
import { guardInterrupts, sleep } from '../profile/interrupt.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { startTarget, type TargetProcess } from '../profile/target-process.js';
import { mergeDiscoveredUrl, needsDiscoveredPort, waitForUrl } from '../profile/wait-url.js';
import { inputError, MemprofError } from '../util/errors.js';
import { profileFleet } from './fleet-profile.js';

const progress = (line: string): void => void process.stderr.write(`memprof: ${line}\n`);

/** The workers found must stay the same this long (no new process, inspector or URL) before the run starts. */
const SETTLE_MS = 1500;

/**
 * `run --workers -- CMD`: CMD starts with the inspector on 127.0.0.1:0; Node's cluster gives each
 * worker its own inspector port (the primary's + K, each printed as "Debugger listening on ..."),
 * and NODE_OPTIONS passes the flag to any other Node child. The serving processes (Node processes
 * that start no Node process: workers, not the primary or a wrapper) are profiled as a fleet, each
 * with the MCP URL it listens on. CMD and everything it started are stopped at the end.
 */
export async function fleetRunCommand(cmd: string[], flags: ProfileFlags & { mcpUrls: string[] }): Promise<number> {
  if (cmd.length === 0) throw new MemprofError('run needs a command after --, e.g. memprof run --workers --mcp http://127.0.0.1:0/mcp -- node cluster.js', 2);
  if (flags.stdio) throw inputError('--workers does not apply with --stdio: a stdio server is one process with one session');
  if (process.platform !== 'linux') throw inputError('--workers finds the workers through /proc: Linux only');
  profileOptionsFromFlags(flags, flags.mcpUrls[0]);
  const config = loadRunConfig(flags.config);
  mkdirSync(flags.out, { recursive: true });
  const target = startTarget(cmd, { dir: flags.out, verbose: flags.verbose });
  const lives: LiveTarget[] = [];
  const guard = guardInterrupts({
    onForce: () => {
      for (const l of lives) l.session.terminate();
      target.killNow();
    },
  });
  try {
    progress(`started '${target.command}' (pid ${target.pid}); its output goes to ${target.logPath}`);
    const found = await findWorkers(target, flags.mcpUrls, flags.startupTimeout, guard.signal);
    for (const w of found) lives.push(await connectTarget(w.ws, { timeoutMs: 4500 }));
    const urls = found.map((w) => w.mcp).filter((u): u is string => u !== undefined);
    progress(`found ${lives.length} serving Node process${lives.length === 1 ? '' : 'es'}: ${lives.map((l) => l.pid).join(', ')}`);
    for (const url of urls) {
      if (!(await waitForUrl(url, flags.startupTimeout, () => !target.hasExited()))) {
        throw new MemprofError(`${url} did not accept connections within ${Math.round(flags.startupTimeout / 1000)} s (--startup-timeout); see ${target.logPath}`, 2);
      }
    }
    const finished: Finished = await profileFleet(lives, urls, flags, config, { lostHint: `see ${target.logPath}`, guard });
    return finished.exitCode;
  } finally {
    await Promise.all(lives.map((l) => l.close()));
    await target.stop(5000);
    guard.dispose();
  }
}

interface Worker {
  pid: number;
  ws: string;
  mcp?: string;
}

/**
 * The serving processes CMD started, each with its inspector URL and (with --mcp) its MCP URL,
 * matched by the ports the process listens on. Waits until every one has both and no process or
 * line has appeared for a moment (workers fork one by one and load their modules at their pace).
 */
async function findWorkers(target: TargetProcess, requested: string[], startupMs: number, signal: AbortSignal): Promise<Worker[]> {
  const deadline = Date.now() + startupMs;
  let last = '';
  let stableSince = Date.now();
  let found: Worker[] | null = null;
  while (Date.now() < deadline && !target.hasExited()) {
    await sleep(200, signal);
    if (signal.aborted) throw new MemprofError('interrupted before the workers were up; nothing was measured', 130);
    found = [];
    for (const pid of await servingNodeProcesses(target.pid)) {
      const ports = new Set((await listeningSockets(pid)).map((s) => s.port));
      const ws = target.inspectorUrls.find((u) => ports.has(Number(new URL(u).port)));
      const mcp = mcpUrlFor(requested, target, ports, found.length);
      if (!ws || (requested.length > 0 && !mcp)) {
        found = null;
        break;
      }
      found.push({ pid, ws, mcp });
    }
    const state = `${JSON.stringify(found)} ${target.inspectorUrls.length} ${target.listeningUrls.length}`;
    if (state !== last) {
      last = state;
      stableSince = Date.now();
    } else if (found && found.length > 0 && Date.now() - stableSince >= SETTLE_MS) {
      return found;
    }
  }
  if (target.hasExited()) {
    const { code, signal } = await target.exited;
    throw new MemprofError(`'${target.command}' exited (${signal ?? `code ${code}`}) before its workers were up; see ${target.logPath}`, 2);
  }
  throw new MemprofError(
    `'${target.command}' did not bring up its workers within ${Math.round(startupMs / 1000)} s (--startup-timeout): ` +
      `each needs an inspector of its own${requested.length ? ' and an MCP URL on a port it listens on' : ''}; see ${target.logPath}`,
    2,
  );
}

/**
 * The worker's MCP endpoint: --mcp given once with port 0 (or none) is each worker's own
 * announced URL, the one on a port it listens on; given once per worker, the one on its port,
 * else the K-th. Undefined without --mcp.
 */
function mcpUrlFor(requested: string[], target: TargetProcess, ports: Set<number>, k: number): string | undefined {
  if (requested.length === 0) return undefined;
  const own = (u: string): boolean => ports.has(Number(new URL(u).port));
  if (requested.length === 1 && needsDiscoveredPort(requested[0])) {
    const announced = target.listeningUrls.find(own);
    return announced ? mergeDiscoveredUrl(requested[0], announced) : undefined;
  }
  return requested.find(own) ?? requested[k];
}
