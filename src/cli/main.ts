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
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES)
    .exitOverride();
  program.configureOutput({ outputError: oneLine });
  for (const define of COMMANDS) {
    const cmd = define(program);
    cmd.exitOverride();
    cmd.configureOutput({ outputError: oneLine });
  }
  return program;
}

const EXIT_CODES = `
Exit codes:
  0    success, every check passed
  1    a check failed, a regression or a leak was found (the report is still written)
  2    usage error, unreadable or invalid input, target unreachable
  130  interrupted (Ctrl-C), after writing what was measured

Examples:
  memprof run --mcp http://127.0.0.1:3000/mcp --ramp 10,50,100 --hold 60s -- node server.js
  memprof load --mcp http://127.0.0.1:3000/mcp --ramp 100 --msg-rate 2 --hold 30s
  memprof check memprof-out/report.json --baseline main/report.json
`;

/**
 * Commander's complaints (bad flags) as one line in memprof's own voice, keeping its
 * "Did you mean ...?" for a mistyped command or option.
 */
function oneLine(str: string, write: (s: string) => void): void {
  const [first, ...rest] = str.trim().split('\n');
  const suggestion = rest.find((l) => /^\(Did you mean .*\?\)$/.test(l.trim()));
  write(`memprof: ${first.replace(/^error: /, '')}${suggestion ? ` ${suggestion.trim()}` : ''} (see memprof --help)\n`);
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
