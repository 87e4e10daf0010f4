import { Command, CommanderError } from 'commander';
import { MemprofError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { COMMANDS } from './commands.js';

/**
 * Builds the commander program. Each command file only declares its flags and, in its action,
 * lazily imports the code that does the work, so `memprof --help` stays instant.
 */
export function buildProgram(): Command {
  const program = new Command('memprof')
    .description('Memory profiler and leak detector for live Node.js and MCP servers')
    .version(VERSION)
    .option('--debug', 'print stack traces of unexpected errors')
    .exitOverride();
  program.configureOutput({ outputError: oneLine });
  for (const define of COMMANDS) {
    const cmd = define(program);
    cmd.exitOverride();
    cmd.configureOutput({ outputError: oneLine });
  }
  return program;
}

/** Commander's complaints (bad flags) as one line in memprof's own voice. */
function oneLine(str: string, write: (s: string) => void): void {
  write(`memprof: ${str.split('\n')[0].replace(/^error: /, '')} (see memprof --help)\n`);
}

/** Entry point: parses argv, runs the command, maps every failure to one line and an exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err, argv.includes('--debug'));
  }
}

function exitCodeFor(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // Help and version are not errors; every other commander complaint is a usage error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return 0;
    }
    return 2;
  }
  if (err instanceof MemprofError) {
    process.stderr.write(`memprof: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`memprof: unexpected error: ${message.split('\n')[0]} (rerun with --debug for details)\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return 2;
}
