import type { LoadFlags } from '../cli/load-options.js';
import type { ProfileFlags } from '../cli/profile-options.js';
import type { LoadOptions } from '../load/types.js';
import { inputError } from '../util/errors.js';
import { DEFAULT_CONNECTION_CLASSES, type ProfileOptions } from './profiler.js';

/** The load scenario the flags describe, or undefined without --mcp (load flags then are a usage error). */
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
      ] as const
    ).find(([key]) => flags[key] !== undefined);
    if (stray) throw inputError(`${stray[1]} drives MCP load and needs --mcp URL`);
    if (flags.msgRate) throw inputError('--msg-rate drives MCP load and needs --mcp URL');
    return undefined;
  }
  return {
    url,
    ramp: flags.ramp ?? [],
    rate: flags.rate,
    msgRate: flags.msgRate ?? 0,
    tool: flags.tool,
    args: flags.args,
    holdMs: flags.hold,
    churn: flags.churn,
    churnRate: flags.churnRate,
    lifetimeMs: flags.lifetime ?? 5000,
    burst: flags.burst,
    sse: flags.sse,
  };
}

/** Profile options from the flags of `profile` / `run`; `mcpUrl` is the resolved --mcp URL. */
export function profileOptionsFromFlags(flags: ProfileFlags, mcpUrl: string | undefined): ProfileOptions {
  const load = loadOptionsFromFlags(flags, mcpUrl);
  if (load && flags.duration !== undefined) {
    throw inputError('--duration applies without --mcp; with --mcp the run lasts as long as the ramp and --hold');
  }
  if (!(flags.interval > 0)) throw inputError(`invalid --interval: must be more than 0`);
  if (!load && flags.snapshots > 0 && flags.duration === undefined) {
    throw inputError('--snapshots needs --duration (or --mcp) to spread the snapshots over the run');
  }
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
    snapshots: flags.snapshots ?? 0,
    connectionClasses: classes,
    poolExpr: flags.poolExpr,
    force: flags.force,
    load,
  };
}
