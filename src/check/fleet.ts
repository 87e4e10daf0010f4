import type { CheckResult, FleetInstance, Report } from '../model/report.js';
import type { CheckConfig } from './config.js';
import { evaluateChecks } from './evaluate.js';

/** A failure outranks an inconclusive figure, which outranks a pass; n/a decides nothing. */
const RANK: Record<NonNullable<CheckResult['status']>, number> = { fail: 3, inconclusive: 2, pass: 1, 'n/a': 0 };

/**
 * The fleet's checklist: each check evaluated on every instance (its own `checks`), and the worst
 * instance's row kept, named in `instance`. Worst: the weakest status, then the figure farthest on
 * the failing side of the limit. Pure. Instances that exited are left out (their figures stop
 * where they died) unless every instance exited.
 */
export function worstChecks(instances: FleetInstance[]): CheckResult[] {
  const ok = instances.filter((i) => i.status === 'ok');
  const judged = ok.length > 0 ? ok : instances;
  const order: string[] = [];
  const worst = new Map<string, CheckResult>();
  for (const inst of judged) {
    for (const row of inst.checks) {
      const key = `${row.comparison ?? 'limit'} ${row.id}`;
      const candidate = { ...row, instance: inst.name };
      const held = worst.get(key);
      if (!held) order.push(key);
      if (!held || worse(candidate, held)) worst.set(key, candidate);
    }
  }
  return order.map((k) => worst.get(k)!);
}

function worse(a: CheckResult, b: CheckResult): boolean {
  const ra = RANK[a.status ?? (a.pass ? 'pass' : 'fail')];
  const rb = RANK[b.status ?? (b.pass ? 'pass' : 'fail')];
  if (ra !== rb) return ra > rb;
  // Same status: the figure nearer the failing side. An unmeasured figure (null) is the worst.
  if (a.measured === null || b.measured === null) return a.measured === null && b.measured !== null;
  const op = a.op ?? '<';
  if (op === '<' || op === '<=') return a.measured > b.measured;
  if (op === '>' || op === '>=') return a.measured < b.measured;
  return false;
}

/**
 * `memprof check` on a fleet report: the checklist (and baseline gate) on each instance, each
 * read as a single-target report, and the worst instance's row per check, as `profile` does.
 */
export function evaluateFleetChecks(report: Report & { instances: FleetInstance[] }, config: CheckConfig, baseline?: unknown): CheckResult[] {
  const judged = report.instances.map((i) => {
    const single: Report = { ...report, ...i, instances: undefined, fleet: undefined };
    delete single.instances;
    delete single.fleet;
    return { ...i, checks: evaluateChecks(single, config, baseline) };
  });
  return worstChecks(judged);
}
