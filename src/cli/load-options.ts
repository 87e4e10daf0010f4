import { Option, type Command } from 'commander';
import { parseDuration, parsePositiveInt } from '../util/units.js';
import { inputError } from '../util/errors.js';
import { STDIO_DEFAULT_HOLD_MS, STDIO_DEFAULT_MSG_RATE, type LoadFlags } from '../options/load-flags.js';

export type { LoadFlags };

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

/** Help headings: `memprof profile --help` lists its options in these groups. */
export const LOAD_GROUP = 'MCP load options:';
export const MEASUREMENT_GROUP = 'Measurement options:';
export const OUTPUT_GROUP = 'Output options:';

export function addLoadOptions(cmd: Command): Command {
  return cmd
    .optionsGroup(LOAD_GROUP)
    .option('--mcp <url>', 'drive MCP load against this Streamable HTTP endpoint (profile/run with several targets: once per target, in the same order)', repeatable)
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
    .option('--churn', 'during the hold, close sessions after --lifetime and open new ones (each once the server has answered the close it replaces: the server never holds more than the step)')
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

/** A flag that may repeat: its one value as given, or every value in order once it repeats. */
export function repeatable(value: string, previous: string | string[] | undefined): string | string[] {
  return previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
}

/** Every value of a `repeatable` flag, in order ([] when not given). */
export function allValues(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** One value where the command takes one: a repeated flag is an input error. */
export function oneValue(value: string | string[] | undefined, flag: string, why: string): string | undefined {
  const all = allValues(value);
  if (all.length > 1) throw inputError(`${flag} was given ${all.length} times; ${why}`);
  return all[0];
}

function collectHeader(value: string, previous: string[] | undefined): string[] {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(value)) throw inputError(`invalid --header '${value}': expected NAME: VALUE`);
  return [...(previous ?? []), value];
}

/** `--stdio` for `run` and `load`. */
export function addStdioOption(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--stdio',
      "be CMD's MCP client over its stdin/stdout (newline-delimited JSON-RPC, one session per process): " +
        `tool calls at --msg-rate (default ${STDIO_DEFAULT_MSG_RATE}/s) for --hold (default ${STDIO_DEFAULT_HOLD_MS / 1000}s); ` +
        'excludes --mcp, --ramp, --rate, --churn, --burst, --sse and --header',
    ).helpGroup(LOAD_GROUP),
  );
}
