import type { Command } from 'commander';
import type { CheckFlags } from '../commands/check.js';

export function defineCheck(program: Command): Command {
  return program
    .command('check')
    .description('the validation checklist and the regression gate')
    .argument('<report>', 'report.json written by profile, run or demo')
    .option('--config <file>', 'checks config (default: memprof.config.json if present, else built-in)')
    .option('--baseline <report>', 'fail when a figure is worse than this report by more than the tolerance')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--json', 'machine-readable results')
    .action(async (report: string, opts: CheckFlags) => {
      const { checkCommand } = await import('../commands/check.js');
      process.exitCode = await checkCommand(report, opts);
    });
}
