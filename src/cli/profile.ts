import type { Command } from 'commander';
import { debugFlag } from './global-flags.js';
import { allValues, repeatable } from './load-options.js';
import { addProfileOptions, type ProfileFlags } from './profile-options.js';

export function defineProfile(program: Command): Command {
  return addProfileOptions(
    program
      .command('profile')
      .description('timed profiling of a live process, optionally driving MCP load; writes DIR/report.json')
      .requiredOption('--target <t>', 'HOST:PORT, ws://... or pid:N; repeat it for a fleet (one instance each)', repeatable),
  ).action(async (opts: Omit<ProfileFlags, 'mcp'> & { target: string | string[]; mcp?: string | string[] }, cmd: Command) => {
    const targets = allValues(opts.target);
    const mcpUrls = allValues(opts.mcp);
    const flags = { ...opts, target: targets[0], mcp: mcpUrls[0], debug: debugFlag(cmd) };
    if (targets.length > 1 || mcpUrls.length > 1 || opts.workers) {
      const { fleetProfileCommand } = await import('../commands/fleet-profile.js');
      process.exitCode = await fleetProfileCommand({ ...flags, targets, mcpUrls });
      return;
    }
    const { profileCommand } = await import('../commands/profile.js');
    process.exitCode = await profileCommand(flags);
  });
}
