import { mkdirSync } from 'node:fs';
import { connectTarget, type LiveTarget } from '../inspector/connect.js';
import { listeningSockets } from '../inspector/proc.js';
import { parseTargetSpec } from '../inspector/target.js';
import { connectWorkers } from '../inspector/workers.js';
import type { ProfileFlags } from '../options/profile-flags.js';
import type { CheckConfig } from '../check/config.js';
import { loadRunConfig } from '../profile/checks.js';
import { runFleet } from '../profile/fleet.js';
import { finishFleet } from '../profile/fleet-finish.js';
import { instanceOptions } from '../profile/fleet-options.js';
import type { Finished } from '../profile/finish.js';
import { guardInterrupts, type InterruptGuard } from '../profile/interrupt.js';
import { profileOptionsFromFlags } from '../profile/options.js';
import { inputError } from '../util/errors.js';

const progress = (line: string): void => void process.stderr.write(`memprof: ${line}\n`);

export type FleetFlags = ProfileFlags & { targets: string[]; mcpUrls: string[] };

/**
 * `profile` with several `--target`s, or `--target pid:N --workers`: attaches to every instance
 * (one after another: SIGUSR1 opens every process's inspector on the same port), profiles them
 * at once (profile/fleet.ts) and writes the fleet report. One target stays `profileCommand`'s.
 */
export async function fleetProfileCommand(flags: FleetFlags): Promise<number> {
  profileOptionsFromFlags(flags, flags.mcpUrls[0]);
  const config = loadRunConfig(flags.config);
  if (flags.workers && flags.targets.length !== 1) throw inputError('--workers takes one --target pid:N (the process that started the workers)');
  // Checked before attaching to anything (the workers' count is known only once they are found).
  if (!flags.workers && flags.mcpUrls.length > 0) instanceOptions(profileOptionsFromFlags(flags, flags.mcpUrls[0]), flags.targets.length, flags.mcpUrls);
  let lives: LiveTarget[] = [];
  try {
    if (flags.workers) {
      const spec = parseTargetSpec(flags.targets[0]);
      if (spec.kind !== 'pid') throw inputError('--workers needs --target pid:N: the workers are found among the children of process N');
      lives = await connectWorkers(spec.pid, { allowRemote: flags.allowRemote, timeoutMs: 4500 });
      progress(`found ${lives.length} Node process${lives.length === 1 ? '' : 'es'} under pid ${spec.pid}: ${lives.map((l) => l.pid).join(', ')}`);
    } else {
      // One after another: two pid:N targets would both open their inspector on 9229.
      for (const t of flags.targets) lives.push(await connectTarget(t, { allowRemote: flags.allowRemote, timeoutMs: 4500, anyPort: true }));
    }
    const urls = flags.workers ? await pairByPort(flags.mcpUrls, lives) : flags.mcpUrls;
    return (await profileFleet(lives, urls, flags, config)).exitCode;
  } finally {
    await Promise.all(lives.map((l) => l.close()));
  }
}

/**
 * Profiles the attached instances as one fleet and finishes the report (shared with `run --workers`).
 * `urls`: each instance's MCP endpoint, in the same order as `lives`.
 */
export async function profileFleet(
  lives: LiveTarget[],
  urls: string[],
  flags: ProfileFlags,
  config: CheckConfig,
  extra: { targetGone?: Array<Promise<string> | undefined>; lostHint?: string; guard?: InterruptGuard } = {},
): Promise<Finished> {
  const base = profileOptionsFromFlags(flags, urls[0]);
  const options = instanceOptions(base, lives.length, urls);
  mkdirSync(base.outDir, { recursive: true });
  // run --workers brings its own guard: it was set up before CMD started, and kills CMD on a second Ctrl-C.
  const guard = extra.guard ?? guardInterrupts({ onForce: () => lives.forEach((l) => l.session.terminate()) });
  try {
    lives.forEach((l, k) => progress(`[${k}] pid ${l.pid} (Node ${l.nodeVersion})${urls[k] ? ` with MCP load on ${urls[k]}` : ''}; writing to ${options[k].outDir}`));
    const startedAt = Date.now();
    const recs = await runFleet(
      lives.map((live, k) => ({ live, options: options[k], targetGone: extra.targetGone?.[k] })),
      { signal: guard.signal, progress },
    );
    // Detached before the snapshots are analysed: no instance is held while memprof reads them.
    await Promise.all(lives.map((l) => l.close()));
    return await finishFleet(
      base.outDir,
      recs.map((rec, k) => ({ rec, options: options[k] })),
      { config, startedAt, progress, lostHint: extra.lostHint },
    );
  } finally {
    if (!extra.guard) guard.dispose();
  }
}

/**
 * --workers with --mcp: each URL goes to the worker that listens on its port (on this machine),
 * so URL K and instance K are the same process whatever order the workers were found in. URLs
 * whose port no worker holds (a port shared through the cluster primary) keep the given order.
 */
async function pairByPort(urls: string[], lives: LiveTarget[]): Promise<string[]> {
  if (urls.length !== lives.length) return urls;
  const ports = await Promise.all(lives.map(async (l) => new Set((await listeningSockets(l.pid)).map((s) => s.port))));
  const paired: string[] = [];
  for (const ownPorts of ports) {
    const url = urls.find((u) => ownPorts.has(Number(new URL(u).port || 80)) && !paired.includes(u));
    if (!url) return urls;
    paired.push(url);
  }
  return paired;
}
