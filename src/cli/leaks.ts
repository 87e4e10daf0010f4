import type { Command } from 'commander';
import { debugFlag } from './global-flags.js';

export function defineLeaks(program: Command): Command {
  return program
    .command('leaks')
    .description('three-snapshot leak detection: objects new in TARGET still alive in FINAL, grouped, with retainer paths')
    .argument('<baseline>', 'snapshot before the suspected action')
    .argument('<target>', 'snapshot after the action')
    .argument('<final>', 'snapshot after the action was undone / repeated')
    .option('--json', 'machine-readable output (memprof/leaks@1)')
    .option('--fail-on-leak', 'exit 1 when a leak is found')
    .option('--all', 'keep V8 internals (code, shapes, system objects, tiny strings) instead of filtering them')
    .option(
      '--steady <START[,MID]>',
      'snapshots taken earlier in a steady window that TARGET ends (same load, e.g. a run\'s steady-start and steady-mid): containers that do not grow across them are bounded and not reported, and what grows while sessions live is reported too',
    )
    .action(async (baseline: string, target: string, final: string, opts: { json?: boolean; failOnLeak?: boolean; all?: boolean; steady?: string }, cmd: Command) => {
      const { leaksCommand } = await import('../commands/leaks.js');
      process.exitCode = await leaksCommand(baseline, target, final, { ...opts, debug: debugFlag(cmd) });
    });
}
