import { stdioLoadOptions, toLoadOptions, type LoadFlags } from '../options/load-flags.js';
import { DEFAULT_MAX_PAUSE_MS, type ProfileFlags } from '../options/profile-flags.js';
import type { LoadOptions } from '../load/types.js';
import { inputError } from '../util/errors.js';
import { DEFAULT_CONNECTION_CLASSES, type ProfileOptions } from './profiler.js';
import { defaultSnapshotCount } from './snapshot-plan.js';

/**
 * The load scenario the flags describe, or undefined without --mcp (load flags then are a usage
 * error). The mapping itself is `load`'s (toLoadOptions), so `profile`/`run` and `load` cannot drift.
 */
export function loadOptionsFromFlags(flags: LoadFlags, url: string | undefined): Omit<LoadOptions, 'signal'> | undefined {
  if (!url) {
    const stray = (
      [
        ['ramp', '--ramp'],
        ['rate', '--rate'],
        ['tool', '--tool'],
        ['args', '--args'],
        ['hold', '--hold'],
        ['churn', '--churn'],
        ['churnRate', '--churn-rate'],
        ['burst', '--burst'],
        ['sse', '--sse'],
        ['concurrency', '--concurrency'],
        ['header', '--header'],
        ['requestTimeout', '--request-timeout'],
      ] as const
    ).find(([key]) => flags[key] !== undefined);
    if (stray) throw inputError(`${stray[1]} drives MCP load and needs --mcp URL`);
    if (flags.msgRate) throw inputError('--msg-rate drives MCP load and needs --mcp URL');
    return undefined;
  }
  // No signal here: the profiler supplies its own (Ctrl-C, or the target lost).
  return toLoadOptions({ ...flags, msgRate: flags.msgRate ?? 0, lifetime: flags.lifetime ?? 5000, mcp: url });
}

/** Profile options from the flags of `profile` / `run`; `mcpUrl` is the resolved --mcp URL. */
export function profileOptionsFromFlags(flags: ProfileFlags, mcpUrl: string | undefined): ProfileOptions {
  const load = flags.stdio ? stdioLoadOptions(flags) : loadOptionsFromFlags(flags, mcpUrl);
  if (load && flags.duration !== undefined) {
    throw inputError(
      flags.stdio ? '--duration does not apply with --stdio: the run lasts --hold' : '--duration applies without --mcp; with --mcp the run lasts as long as the ramp and --hold',
    );
  }
  if (!(flags.interval > 0)) throw inputError(`invalid --interval: must be more than 0`);
  if (!load && (flags.snapshots ?? 0) > 0 && flags.duration === undefined) {
    throw inputError('--snapshots needs --duration (or --mcp) to spread the snapshots over the run');
  }
  if (!load && flags.warmup) throw inputError('--warmup opens MCP sessions and needs --mcp URL');
  if (flags.idleHold !== undefined && !flags.hold) throw inputError('--idle-hold needs --hold DURATION (it ends the hold)');
  if (flags.settle !== undefined && !flags.hold) throw inputError('--settle needs --hold DURATION (it is the start of the hold)');
  if (flags.settle !== undefined && flags.hold !== undefined && flags.settle >= flags.hold) {
    throw inputError(`--settle must be shorter than --hold: the settled window is what is left of the hold`);
  }
  if (flags.recovery !== undefined && !load?.burst) throw inputError('--recovery is the window after a --burst: it needs --burst RATE:DURATION');
  const classes = flags.connectionClass
    ? flags.connectionClass
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : DEFAULT_CONNECTION_CLASSES;
  return {
    outDir: flags.out,
    intervalMs: flags.interval,
    durationMs: flags.duration,
    snapshots: flags.snapshots ?? (load ? defaultSnapshotCount(Boolean(load.holdMs)) : 0),
    connectionClasses: classes,
    poolExpr: flags.poolExpr,
    force: flags.force,
    load,
    // With --mcp the warm-up is on unless --no-warmup: first-use allocations are not the run's.
    warmup: Boolean(load) && flags.warmup !== false,
    settleMs: flags.settle,
    idleHoldMs: flags.idleHold,
    recoveryMs: flags.recovery,
    projectTo: flags.connections,
    maxPauseMs: flags.maxPause ?? DEFAULT_MAX_PAUSE_MS,
    debug: Boolean(flags.debug),
  };
}
