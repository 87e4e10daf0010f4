import type { Command } from 'commander';

/** The program-wide `--debug` flag as a subcommand's action sees it (before or after the command name). */
export function debugFlag(cmd: Command): boolean {
  return cmd.optsWithGlobals<{ debug?: boolean }>().debug === true;
}
