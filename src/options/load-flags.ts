import { inputError } from '../util/errors.js';
import { STDIO_URL, type LoadOptions } from '../load/types.js';

/** The MCP load scenario flags shared by `load`, `profile` and `run` (docs/cli.md). */
export interface LoadFlags {
  mcp?: string;
  ramp?: number[];
  rate?: number;
  msgRate: number;
  tool?: string;
  args?: unknown;
  hold?: number;
  churn?: boolean;
  churnRate?: number;
  lifetime: number;
  burst?: { rate: number; durationMs: number };
  sse?: boolean;
  concurrency?: number;
  header?: string[];
  requestTimeout?: number;
  /** Be CMD's MCP client over its stdin/stdout (`run`, `load`, `demo`). */
  stdio?: boolean;
}

/** The runLoad options for these flags; `signal` lets the caller stop the run (Ctrl-C). */
export function toLoadOptions(flags: LoadFlags & { mcp: string }, signal?: AbortSignal): LoadOptions {
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const i = h.indexOf(':');
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  if (flags.churnRate !== undefined && !flags.churn) throw inputError('--churn-rate needs --churn');
  if (flags.churn && !flags.hold) throw inputError('--churn needs --hold DURATION (churn happens during the hold)');
  return {
    url: flags.mcp,
    ramp: flags.ramp ?? [],
    rate: flags.rate === 0 ? undefined : flags.rate,
    msgRate: flags.msgRate,
    tool: flags.tool,
    args: flags.args,
    holdMs: flags.hold,
    churn: flags.churn,
    churnRate: flags.churnRate,
    lifetimeMs: flags.lifetime,
    burst: flags.burst,
    sse: flags.sse,
    concurrency: flags.concurrency,
    timeoutMs: flags.requestTimeout,
    headers,
    signal,
  };
}

/** With --stdio and no --hold / --msg-rate: a minute of calls at 10 per second. */
export const STDIO_DEFAULT_HOLD_MS = 60_000;
export const STDIO_DEFAULT_MSG_RATE = 10;

/** Flags that shape Streamable HTTP sessions; a stdio server has one session, over CMD's stdin/stdout. */
const HTTP_ONLY = [
  ['mcp', '--mcp'],
  ['ramp', '--ramp'],
  ['rate', '--rate'],
  ['churn', '--churn'],
  ['churnRate', '--churn-rate'],
  ['burst', '--burst'],
  ['sse', '--sse'],
  ['header', '--header'],
] as const;

/** Refuses the flags that do not apply to a stdio server (one line, exit 2). */
export function checkStdioFlags(flags: LoadFlags): void {
  const clash = HTTP_ONLY.find(([key]) => flags[key] !== undefined && flags[key] !== false);
  if (clash) {
    throw inputError(`${clash[1]} does not apply with --stdio: a stdio server has one session, over CMD's stdin/stdout (no URL, no ramp, no churn)`);
  }
}

/**
 * The flags with --stdio's defaults filled in: a hold of STDIO_DEFAULT_HOLD_MS, and
 * STDIO_DEFAULT_MSG_RATE calls per second unless --msg-rate was given (its flag default, 0,
 * would make a stdio run measure an idle server).
 */
export function withStdioDefaults<T extends LoadFlags>(flags: T, msgRateGiven: boolean): T {
  if (!flags.stdio) return flags;
  return { ...flags, hold: flags.hold ?? STDIO_DEFAULT_HOLD_MS, msgRate: msgRateGiven ? flags.msgRate : STDIO_DEFAULT_MSG_RATE };
}

/** The load options of a stdio run (runStdioLoad): one session, tool calls at --msg-rate during --hold. */
export function stdioLoadOptions(flags: LoadFlags, signal?: AbortSignal): LoadOptions {
  checkStdioFlags(flags);
  return {
    url: STDIO_URL,
    ramp: [],
    msgRate: flags.msgRate ?? 0,
    tool: flags.tool,
    args: flags.args,
    holdMs: flags.hold ?? STDIO_DEFAULT_HOLD_MS,
    lifetimeMs: flags.lifetime ?? 5000,
    concurrency: flags.concurrency,
    timeoutMs: flags.requestTimeout,
    signal,
  };
}
