import type { Command } from 'commander';
import { addLoadOptions, addStdioOption, OUTPUT_GROUP } from './load-options.js';
import { withStdioDefaults, type LoadFlags } from '../options/load-flags.js';

export function defineLoad(program: Command): Command {
  return addStdioOption(
    addLoadOptions(
      program
        .command('load')
        .description('MCP load only: sessions opened, messages sent, latencies (with --stdio: CMD started and driven over its stdin/stdout)')
        .usage('[options] [-- cmd...]')
        .argument('[cmd...]', 'with --stdio: the MCP stdio server to start, after --'),
    ),
  )
    .optionsGroup(OUTPUT_GROUP)
    .option('--json', 'machine-readable summary')
    .action(async (cmd: string[], opts: LoadFlags & { json?: boolean }, command: Command) => {
      const { loadCommand } = await import('../commands/load.js');
      process.exitCode = await loadCommand(withStdioDefaults(opts, command.getOptionValueSource('msgRate') === 'cli'), cmd);
    });
}
