import type { Command } from 'commander';
import type { PlanFlags } from '../commands/plan.js';
import { inputError } from '../util/errors.js';
import { parseSize, parsePositiveInt } from '../util/units.js';

export function definePlan(program: Command): Command {
  return program
    .command('plan')
    .description('capacity and cost projection from measured figures')
    .argument('<report>', 'report.json with a connections section')
    .requiredOption('--ram <size>', 'RAM of one instance, e.g. 256GiB', (v) => parseSize(v, '--ram'))
    .option('--reserve <size>', 'RAM kept for the OS and other processes, e.g. 2GiB or 15% (default: 10%, at least 1 GiB)', parseReserve)
    .option('--price <per_hour>', 'price of one instance per hour, e.g. 3.80', parsePrice)
    .option('--connections <n>', 'connections to plan for', (v) => parsePositiveInt(v, '--connections'))
    .option('--json', 'machine-readable output (memprof/plan@1)')
    .action(async (report: string, opts: PlanFlags) => {
      const { planCommand } = await import('../commands/plan.js');
      process.exitCode = await planCommand(report, opts);
    });
}

function parseReserve(v: string): PlanFlags['reserve'] {
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
  if (pct) {
    const fraction = Number(pct[1]) / 100;
    if (fraction >= 1) throw inputError(`invalid --reserve '${v}': a percentage of RAM below 100%`);
    return { fraction };
  }
  return { bytes: parseSize(v, '--reserve') };
}

function parsePrice(v: string): number {
  const n = Number(v.trim().replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) throw inputError(`invalid --price '${v}': a price per instance-hour, e.g. 3.80`);
  return n;
}
