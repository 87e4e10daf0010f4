import type { Report } from '../model/report.js';
import { formatBytes } from '../util/units.js';
import { textTable } from './table.js';

/**
 * The fleet part of the human report: one row per instance (status, top sessions, marginal cost,
 * growth, worst GC pause) and the spread. Printed after the fleet's own report, whose sections
 * are its sums and worst instances. Empty for a single target.
 */
export function renderFleet(report: Report): string {
  const instances = report.instances;
  const fleet = report.fleet;
  if (!instances || !fleet) return '';
  const rows = instances.map((i) => [
    i.name,
    i.status === 'ok' ? 'ok' : `exited at ${i.exited?.atSec.toFixed(1)} s: ${i.exited?.how ?? ''}`,
    i.connections ? String(Math.max(0, ...i.connections.steps.map((s) => s.connections))) : '-',
    bytesOr(i.connections?.marginalBytesPerConnection),
    perHourOr(i.growth.steadyBytesPerHour ?? i.growth.loadBytesPerHour),
    i.gc.major.p99Ms === null ? '-' : `${i.gc.major.p99Ms.toFixed(1)} ms`,
    i.dir,
  ]);
  const out = ['', `Fleet: ${fleet.instances} instances (${fleet.ok} ok, ${fleet.exited} exited)`, '-'.repeat(6)];
  out.push(...textTable(['instance', 'status', 'sessions', 'per session', 'growth', 'major p99', 'report'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'l']));
  if (fleet.mostLoaded) {
    out.push(`most loaded: ${fleet.mostLoaded}; imbalance ${fleet.imbalance === null ? 'not measured' : `${(fleet.imbalance * 100).toFixed(0)} % above the mean`}`);
  }
  const w = fleet.worst;
  out.push(`sections above from the worst instance: growth ${w.growth ?? '-'}, gc ${w.gc ?? '-'}, pools ${w.pools ?? '-'}, leaks ${w.leaks ?? '-'}`);
  const decided = report.checks.filter((c) => c.instance && (c.status === 'fail' || c.status === 'inconclusive'));
  for (const c of decided) out.push(`check ${c.id} ${c.status === 'fail' ? 'failed' : 'is inconclusive'} on ${c.instance} (the worst instance)`);
  return out.join('\n') + '\n';
}

function bytesOr(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : formatBytes(v);
}

function perHourOr(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : `${v < 0 ? '-' : '+'}${formatBytes(Math.abs(v))}/h`;
}
