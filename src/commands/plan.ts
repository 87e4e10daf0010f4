import { capacityPlan } from '../analysis/capacity.js';
import { perInstanceView } from '../analysis/fleet-plan.js';
import { renderPlan } from '../report/plan-text.js';
import { readReport } from './read-report.js';

export interface PlanFlags {
  ram: number;
  reserve?: { bytes: number } | { fraction: number };
  price?: number;
  connections?: number;
  json?: boolean;
}

/** `memprof plan`: exit 0 with a projection, 2 when the report cannot give one. */
export async function planCommand(reportFile: string, opts: PlanFlags): Promise<number> {
  // A fleet report plans from its instances' own figures, with their imbalance as a margin.
  const { report, imbalance } = perInstanceView(readReport(reportFile, 'report'));
  const plan = capacityPlan(report, {
    ...(imbalance !== undefined ? { imbalance } : {}),
    ramBytes: opts.ram,
    reserve: opts.reserve,
    pricePerHour: opts.price,
    connections: opts.connections,
  });
  process.stdout.write(opts.json ? JSON.stringify(plan, null, 2) + '\n' : renderPlan(plan, reportFile));
  return 0;
}
