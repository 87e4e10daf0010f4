import type { Command } from 'commander';
import { parsePositiveInt } from '../util/units.js';
import { debugFlag } from './global-flags.js';

export function defineInspect(program: Command): Command {
  return program
    .command('inspect')
    .description('summary of a heap snapshot: totals and per-class count / self size / retained size')
    .argument('<file>', '.heapsnapshot or .heapsnapshot.gz')
    .option('--top <n>', 'classes to show', (v) => parsePositiveInt(v, '--top'), 20)
    .option('--json', 'machine-readable output (memprof/inspect@1)')
    .action(async (file: string, opts: { top: number; json?: boolean }, cmd: Command) => {
      const { inspectCommand } = await import('../commands/inspect.js');
      process.exitCode = await inspectCommand(file, { ...opts, debug: debugFlag(cmd) });
    });
}
