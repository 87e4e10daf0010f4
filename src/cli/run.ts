import type { Command } from 'commander';
import { debugFlag } from './global-flags.js';
import { addProfileOptions, type ProfileFlags } from './profile-options.js';

export function defineRun(program: Command): Command {
  return addProfileOptions(
    program
      .command('run')
      .description('start CMD with the inspector on 127.0.0.1 (random port), then profile it')
      .argument('<cmd...>', 'the command to start, after --'),
  ).action(async (cmd: string[], opts: ProfileFlags, command: Command) => {
    const { runCommand } = await import('../commands/run.js');
    process.exitCode = await runCommand(cmd, { ...opts, debug: debugFlag(command) });
  });
}
