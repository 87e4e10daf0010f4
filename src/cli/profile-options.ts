import { Option, type Command } from 'commander';
import { parseCount, parseDuration, parsePositiveInt, parseSize } from '../util/units.js';
import { addLoadOptions, MEASUREMENT_GROUP, OUTPUT_GROUP } from './load-options.js';
import { DEFAULT_MAX_PAUSE_MS } from '../options/profile-flags.js';
import type { ProfileFlags } from '../options/profile-flags.js';

export type { ProfileFlags };

export function addProfileOptions(cmd: Command): Command {
  return addLoadOptions(cmd)
    .optionsGroup(MEASUREMENT_GROUP)
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
    .option('--allow-remote', 'allow a non-loopback inspector (the inspector is remote code execution)')
    .option('--force', 'take snapshots even when the target looks short of memory, and attach to a target another memprof is profiling')
    .option(
      '--warmup',
      'with --mcp (the default): before measuring, open the top step of sessions (with tool calls at --msg-rate) and close them once, ' +
        'so JIT, pools, caches and lazily created module state are in place before the baseline; pool reuse is measured after it',
    )
    .option('--no-warmup', 'with --mcp: measure from the first session on, no warm-up')
    .option(
      '--sampling',
      "with --mcp: run V8's sampling heap profiler (live objects by allocation site) and report its leaks beside the snapshots'; " +
        'by default it runs when no full snapshot is taken (--snapshots 0, or one skipped for lack of memory)',
    )
    .option('--no-sampling', 'with --mcp: never run the sampling heap profiler')
    .option(
      '--sampling-interval <size>',
      'mean bytes allocated between two samples of the sampling heap profiler (default 32KiB, as V8 and DevTools)',
      (v) => parseSize(v, '--sampling-interval'),
    )
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
    .option(
      '--recovery <duration>',
      'with --burst: after it ends, keep measuring heap after forced GCs this long to see it come back to the level before (default 30s)',
      (v) => parseDuration(v, '--recovery'),
    )
    .option(
      '--connections <n>',
      'project memory to N connections: connections.projected = fixed + marginal x N, heap and RSS (default: the top step)',
      (v) => parsePositiveInt(v, '--connections'),
    )
    .option(
      '--workers',
      'a fleet: profile every Node process the target started that serves (cluster workers, PM2 apps: Node processes that start no Node process), ' +
        'each its own instance in report.json instances[]',
    )
    .option('--config <file>', 'checks config the report is checked against (default: memprof.config.json if present, else built-in)')
    .addOption(
      new Option(
        '--max-pause <duration>',
        "with --hold: once a full GC memprof forces freezes the target longer than this, the steady window's inner points " +
          "are read from the target's own major GCs instead (its edges and the ramp's steps are still measured after a forced GC)",
      )
        .argParser((v) => parseDuration(v, '--max-pause'))
        .default(DEFAULT_MAX_PAUSE_MS, '1s'),
    )
    .addOption(
      new Option('--startup-timeout <duration>', 'how long run waits for --mcp to accept connections (with --stdio: for the answer to initialize)')
        .argParser((v) => parseDuration(v, '--startup-timeout'))
        .default(30_000, '30s'),
    )
    .optionsGroup(OUTPUT_GROUP)
    .option('--out <dir>', 'output directory for report.json, samples and snapshots', 'memprof-out')
    .option('--verbose', 'also forward the target output to the terminal');
}
