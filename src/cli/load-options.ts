import { Option, type Command } from 'commander';
import { parseDuration, parsePositiveInt } from '../util/units.js';
import { inputError } from '../util/errors.js';
import type { LoadOptions } from '../load/types.js';

/** The MCP load scenario flags shared by `load`, `profile` and `run` (CONTRACT.md). */
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
}

export function parseRamp(text: string): number[] {
  const steps = text.split(',').map((s) => parsePositiveInt(s.trim(), '--ramp step'));
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) throw inputError(`invalid --ramp '${text}': steps must increase`);
  }
  return steps;
}

function parseRate(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw inputError(`invalid ${what} '${text}': expected a non-negative number`);
  return n;
}

function parseJsonArg(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw inputError(`invalid --args '${text}': not JSON`);
  }
}

function parseBurst(text: string): { rate: number; durationMs: number } {
  const m = /^(\d+(?:\.\d+)?):(.+)$/.exec(text);
  if (!m) throw inputError(`invalid --burst '${text}': expected RATE:DURATION, e.g. 200:60s`);
  return { rate: parseRate(m[1], '--burst rate'), durationMs: parseDuration(m[2], '--burst duration') };
}

export function addLoadOptions(cmd: Command): Command {
  return cmd
    .option('--mcp <url>', 'drive MCP load against this Streamable HTTP endpoint')
    .option('--ramp <n1,n2,...>', 'open sessions up to each step and measure at each', parseRamp)
    .option('--rate <r>', 'sessions opened per second (default: as fast as the server accepts)', (v) => parseRate(v, '--rate'))
    .option('--msg-rate <m>', 'requests per second per open session', (v) => parseRate(v, '--msg-rate'), 0)
    .option('--tool <name>', 'tool to call (default: the first tool of tools/list)')
    .option('--args <json>', 'tool arguments (default: made from the tool input schema)', parseJsonArg)
    .option('--hold <duration>', 'keep the top step open this long (steady state)', (v) => parseDuration(v, '--hold'))
    .option('--churn', 'during the hold, close sessions after --lifetime and open new ones')
    .option('--churn-rate <r>', 'sessions closed and reopened per second during --churn', (v) => parseRate(v, '--churn-rate'))
    .addOption(
      new Option('--lifetime <duration>', 'session lifetime under --churn').argParser((v) => parseDuration(v, '--lifetime')).default(5000, '5s'),
    )
    .option('--burst <rate:duration>', 'extra sessions per second for a while on top of the base, from the start of the hold; closed when it ends', parseBurst)
    .option('--sse', 'open a GET SSE stream per session, as the SDK client does')
    .option('--concurrency <n>', 'MCP requests in flight at most (default 64)', (v) => parsePositiveInt(v, '--concurrency'))
    .option('--header <name:value>', 'extra HTTP header for every MCP request (repeatable), e.g. "Authorization: Bearer T"', collectHeader)
    .option('--request-timeout <duration>', 'give up on an MCP request after this long (default 30s)', (v) => parseDuration(v, '--request-timeout'));
}

function collectHeader(value: string, previous: string[] | undefined): string[] {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(value)) throw inputError(`invalid --header '${value}': expected NAME: VALUE`);
  return [...(previous ?? []), value];
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
