import type { Report } from '../model/report.js';
import { connectionsSection } from './connections.js';

/**
 * `plan` on a fleet report: the figures per instance, not the fleet's sums (whose intercept is
 * every instance's fixed memory added up). The steps of the instances measured to the end, pooled,
 * fit one line of an instance's memory against its own sessions. Pure; a single-target report is
 * returned as it is.
 */
export function perInstanceView(report: Report): { report: Report; imbalance?: number } {
  if (!report.instances) return { report };
  const ok = report.instances.filter((i) => i.status === 'ok' && i.connections);
  if (ok.length === 0) return { report: { ...report, connections: undefined } };
  const steps = ok.flatMap((i) => i.connections!.steps);
  return { report: { ...report, connections: connectionsSection(steps) }, imbalance: report.fleet?.imbalance ?? 0 };
}
