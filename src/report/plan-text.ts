import type { CapacityPlan, Deployment } from '../analysis/capacity.js';
import { formatBytes } from '../util/units.js';
import { textTable } from './table.js';

/** The capacity and cost projection in words and tables, units on every number. */
export function renderPlan(plan: CapacityPlan, source: string): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const money = (v: number | null) => (v === null ? 'no --price' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const out = [
    `memprof plan for ${source}`,
    '',
    `Measured — basis ${plan.basisNote}`,
    `  fixed      ${formatBytes(plan.fixedBytes)}`,
    `  marginal   ${formatBytes(plan.marginalBytesPerConnection)} per connection`,
    `  R²         ${plan.r2 === null ? 'undefined' : plan.r2.toFixed(4)}; largest measured step ${n(plan.measuredUpTo)} connections`,
    '',
    'One instance:',
    `  RAM        ${formatBytes(plan.ramBytes)}`,
    `  reserve    ${formatBytes(plan.reserveBytes)} (${plan.reserveRule})`,
    `  usable     ${formatBytes(plan.usableBytes)}`,
    `  capacity   ${n(plan.connectionsPerInstance)} connections = (usable − fixed) / marginal`,
  ];
  if (plan.heapAtCapacityBytes !== null) out.push(`  heap       ${formatBytes(plan.heapAtCapacityBytes)} of V8 heap at capacity`);
  if (plan.pricePerHour !== null) {
    out.push(`  cost       ${money(plan.pricePerHour)} per hour = ${money(plan.monthlyCostPerInstance)} per month (${plan.hoursPerMonth} h)`);
  }
  if (plan.deployments && plan.connections !== null) {
    const d = plan.deployments;
    const row = (label: string, x: Deployment) => [
      label,
      n(x.instances),
      n(x.connectionsPerInstance),
      formatBytes(x.memoryPerInstanceBytes),
      `${((x.memoryPerInstanceBytes / plan.usableBytes) * 100).toFixed(1)} %`,
      money(x.monthlyCost),
    ];
    out.push(
      '',
      `For ${n(plan.connections)} connections:`,
      ...textTable(
        ['redundancy', 'instances', 'connections each', 'memory each', 'of usable', 'cost per month'],
        [
          row('none', d.minimum),
          row('N+1 (survives losing one instance)', d.nPlusOne),
          row('1:1 (every instance mirrored)', d.oneToOne),
        ],
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  out.push('', 'Assumptions:', ...plan.assumptions.map((a) => `  - ${a}`));
  return out.join('\n') + '\n';
}
