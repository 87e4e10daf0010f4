import type { Command } from 'commander';
import { parsePositiveInt } from '../util/units.js';
import { debugFlag } from './global-flags.js';

export function defineDiff(program: Command): Command {
  return program
    .command('diff')
    .description('compare two snapshots of one process: per-class deltas and objects new in AFTER')
    .argument('<before>', 'earlier snapshot')
    .argument('<after>', 'later snapshot')
    .option('--top <n>', 'classes to show', (v) => parsePositiveInt(v, '--top'), 20)
    .option('--json', 'machine-readable output (memprof/diff@1)')
    .action(async (before: string, after: string, opts: { top: number; json?: boolean }, cmd: Command) => {
      const { diffCommand } = await import('../commands/diff.js');
      process.exitCode = await diffCommand(before, after, { ...opts, debug: debugFlag(cmd) });
    });
}
