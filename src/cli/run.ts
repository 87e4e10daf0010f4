import type { Command } from 'commander';
import { debugFlag } from './global-flags.js';
import { addStdioOption } from './load-options.js';
import { withStdioDefaults } from '../options/load-flags.js';
import { addProfileOptions, type ProfileFlags } from './profile-options.js';

export function defineRun(program: Command): Command {
  return addStdioOption(
    addProfileOptions(
      program
        .command('run')
        .description('start CMD with the inspector on 127.0.0.1 (random port), then profile it (with --mcp URL or --stdio: under MCP load)')
        .usage('[options] -- <cmd...>')
        .argument('<cmd...>', 'the command to start, after --'),
    ),
  ).action(async (cmd: string[], opts: ProfileFlags, command: Command) => {
    const { runCommand } = await import('../commands/run.js');
    const flags = withStdioDefaults(opts, command.getOptionValueSource('msgRate') === 'cli');
    process.exitCode = await runCommand(cmd, { ...flags, debug: debugFlag(command) });
  });
}
