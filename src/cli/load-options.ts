import { Option, type Command } from 'commander';
import { parseDuration, parsePositiveInt } from '../util/units.js';
import { inputError } from '../util/errors.js';
import { STDIO_URL, type LoadOptions } from '../load/types.js';

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
  /** Be CMD's MCP client over its stdin/stdout (`run`, `load`, `demo`). */
  stdio?: boolean;
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
    .option(
      '--args <json>',
      'tool arguments (default: made from the tool input schema); {{n}} inside a string is replaced by the call number (1, 2, 3, ...)',
      parseJsonArg,
    )
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

/** `--stdio` for `run` and `load`. */
export function addStdioOption(cmd: Command): Command {
  return cmd.option(
    '--stdio',
    "be CMD's MCP client over its stdin/stdout (newline-delimited JSON-RPC, one session per process): " +
      `tool calls at --msg-rate (default ${STDIO_DEFAULT_MSG_RATE}/s) for --hold (default ${STDIO_DEFAULT_HOLD_MS / 1000}s); ` +
      'excludes --mcp, --ramp, --rate, --churn, --burst, --sse and --header',
  );
}
