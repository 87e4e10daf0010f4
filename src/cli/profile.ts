import type { Command } from 'commander';
import { debugFlag } from './global-flags.js';
import { addProfileOptions, type ProfileFlags } from './profile-options.js';

export function defineProfile(program: Command): Command {
  return addProfileOptions(
    program
      .command('profile')
      .description('timed profiling of a live process, optionally driving MCP load; writes DIR/report.json')
      .requiredOption('--target <t>', 'HOST:PORT, ws://... or pid:N'),
  ).action(async (opts: ProfileFlags & { target: string }, cmd: Command) => {
    const { profileCommand } = await import('../commands/profile.js');
    process.exitCode = await profileCommand({ ...opts, debug: debugFlag(cmd) });
  });
}
