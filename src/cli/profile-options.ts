import { Option, type Command } from 'commander';
import { parseCount, parseDuration } from '../util/units.js';
import { addLoadOptions } from './load-options.js';
import type { ProfileFlags } from '../options/profile-flags.js';

export type { ProfileFlags };

export function addProfileOptions(cmd: Command): Command {
  return addLoadOptions(cmd)
    .option('--duration <duration>', 'how long to profile without --mcp (default: until Ctrl-C)', (v) => parseDuration(v, '--duration'))
    .addOption(new Option('--interval <duration>', 'sampling period').argParser((v) => parseDuration(v, '--interval')).default(1000, '1s'))
    .option(
      '--snapshots <k>',
      'heap snapshots to take (kept in DIR; 0: none). Default with --mcp: 5 with --hold (before the load, the settled window\'s start, middle and end, ' +
        'after the sessions closed), 3 without; without --mcp: 0 (spread over --duration when given)',
      (v) => parseCount(v, '--snapshots'),
    )
    .option('--connection-class <name>', 'class whose instances are connections (default: the MCP SDK server transports)')
    .option('--pool-expr <expr>', 'expression evaluated in the target that returns pool counters')
    .option('--out <dir>', 'output directory for report.json, samples and snapshots', 'memprof-out')
    .option('--allow-remote', 'allow a non-loopback inspector (the inspector is remote code execution)')
    .option('--force', 'take snapshots even when the target looks short of memory, and attach to a target another memprof is profiling')
    .option('--verbose', 'also forward the target output to the terminal')
    .option(
      '--warmup',
      'with --mcp (the default): before measuring, open the top step of sessions (with tool calls at --msg-rate) and close them once, ' +
        'so JIT, pools, caches and lazily created module state are in place before the baseline; pool reuse is measured after it',
    )
    .option('--no-warmup', 'with --mcp: measure from the first session on, no warm-up')
    .option(
      '--settle <duration>',
      'with --hold: traffic before the settled window in which steady growth is measured (default: a fifth of the hold, at least one --lifetime with --churn, at most half the hold)',
      (v) => parseDuration(v, '--settle'),
    )
    .option(
      '--idle-hold <duration>',
      'with --hold: after it, keep the sessions open this long with no traffic, sampling the heap after forced GCs; ' +
        'these points extend the settled window',
      (v) => parseDuration(v, '--idle-hold'),
    )
    .addOption(
      new Option('--startup-timeout <duration>', 'how long run waits for --mcp to accept connections (with --stdio: for the answer to initialize)')
        .argParser((v) => parseDuration(v, '--startup-timeout'))
        .default(30_000, '30s'),
    );
}
