import type { Command } from 'commander';
import type { ReportFlags } from '../commands/report.js';

export function defineReport(program: Command): Command {
  return program
    .command('report')
    .description('render a run directory (report.json, samples, GC events) as one self-contained HTML file')
    .argument('<dir>', 'the --out directory of profile, run or demo')
    .option('-o, --output <file>', 'the HTML file to write (default: DIR/report.html)')
    .action(async (dir: string, opts: ReportFlags) => {
      const { reportCommand } = await import('../commands/report.js');
      process.exitCode = await reportCommand(dir, opts);
    });
}
