import type { Command } from 'commander';
import { inputError } from '../util/errors.js';
import { debugFlag } from './global-flags.js';
import { addStdioOption, allValues } from './load-options.js';
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
  ).action(async (cmd: string[], opts: Omit<ProfileFlags, 'mcp'> & { mcp?: string | string[] }, command: Command) => {
    const mcpUrls = allValues(opts.mcp);
    const flags = withStdioDefaults({ ...opts, mcp: mcpUrls[0] }, command.getOptionValueSource('msgRate') === 'cli');
    if (flags.workers) {
      const { fleetRunCommand } = await import('../commands/fleet-run.js');
      process.exitCode = await fleetRunCommand(cmd, { ...flags, mcpUrls, debug: debugFlag(command) });
      return;
    }
    if (mcpUrls.length > 1) throw inputError(`--mcp was given ${mcpUrls.length} times: run drives one process unless --workers (then once per worker, or once with port 0)`);
    const { runCommand } = await import('../commands/run.js');
    process.exitCode = await runCommand(cmd, { ...flags, debug: debugFlag(command) });
  });
}
