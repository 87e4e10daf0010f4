import type { Command } from 'commander';
import { addLoadOptions, type LoadFlags } from './load-options.js';

export function defineLoad(program: Command): Command {
  return addLoadOptions(program.command('load').description('MCP load only: sessions opened, messages sent, latencies'))
    .option('--json', 'machine-readable summary')
    .action(async (opts: LoadFlags & { json?: boolean }) => {
      const { loadCommand } = await import('../commands/load.js');
      process.exitCode = await loadCommand(opts);
    });
}
