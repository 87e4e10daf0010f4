import type { Command } from 'commander';
import { parseSize, parsePositiveInt } from '../util/units.js';

export interface PlanFlags {
  ram: number;
  reserve?: number;
  price?: number;
  connections?: number;
  json?: boolean;
}

export function definePlan(program: Command): Command {
  return program
    .command('plan')
    .description('capacity and cost projection from measured figures')
    .argument('<report>', 'report.json with a connections section')
    .requiredOption('--ram <size>', 'RAM of one instance, e.g. 256GiB', (v) => parseSize(v, '--ram'))
    .option('--reserve <size>', 'RAM kept for the OS and other processes', (v) => parseSize(v, '--reserve'))
    .option('--price <per_hour>', 'price of one instance per hour', (v) => Number(v))
    .option('--connections <n>', 'connections to plan for', (v) => parsePositiveInt(v, '--connections'))
    .option('--json', 'machine-readable output')
    .action(async (report: string, opts: PlanFlags) => {
      const { planCommand } = await import('../commands/plan.js');
      process.exitCode = await planCommand(report, opts);
    });
}
