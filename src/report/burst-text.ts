import type { BurstSection, GcKindStats, ProjectedMemory } from '../model/report.js';
import { formatBytes, formatMs } from '../util/units.js';
import { textTable } from './table.js';

/**
 * The burst as the study reads it: memory before, at the peak and after recovery, the recovery
 * time, what was left behind, the burst's sessions, its GC pauses and latency before and during.
 */
export function burstText(b: BurstSection, notes: Record<string, string>): string[] {
  const mem = (v: number | null) => (v === null ? 'not measured' : formatBytes(v));
  const lat = (v: number | null) => (v === null ? 'none' : formatMs(v));
  const signed = (v: number) => `${v < 0 ? '-' : '+'}${formatBytes(Math.abs(v))}`;
  const out = [
    `  ${b.rate} extra sessions/s for ${b.durationSec} s from ${b.startSec.toFixed(1)} s; recovery window ${b.recoveryWindowSec} s` +
      (b.toleranceBytes !== null ? `, tolerance ${formatBytes(b.toleranceBytes)} of the level before` : ''),
    ...textTable(
      ['', 'before', 'peak', 'after recovery'],
      [
        ['heap used', mem(b.before.heapUsedBytes), mem(b.peak.heapUsedBytes), mem(b.after.heapUsedBytes)],
        ['RSS', mem(b.before.rssBytes), mem(b.peak.rssBytes), mem(b.after.rssBytes)],
      ],
      ['l', 'r', 'r', 'r'],
    ),
    '  (before and after: after a forced full GC; peak: the periodic samples during the burst)',
    `  recovery time     ${b.recoverySec !== null ? `${b.recoverySec.toFixed(1)} s after the burst` : `not measured: ${notes['burst.recoverySec'] ?? 'no reason given'}`}`,
    `  left behind       ${b.retainedBytes !== null ? signed(b.retainedBytes) : 'not measured'}`,
    `  burst sessions    ${b.sessions.opened} opened, ${b.sessions.failed} failed, ${b.sessions.closed} closed`,
    `  GC during burst   ${gcText('minor', b.gc.minor)}; ${gcText('major', b.gc.major)}`,
    `  latency           before p50 ${lat(b.latencyMs.before.p50)}, p99 ${lat(b.latencyMs.before.p99)}; during p50 ${lat(b.latencyMs.during.p50)}, p99 ${lat(b.latencyMs.during.p99)}`,
  ];
  return out;
}

function gcText(kind: string, s: GcKindStats): string {
  return s.count === 0 ? `no ${kind}` : `${s.count} ${kind}, longest ${formatMs(s.maxMs ?? 0)}`;
}

/** connections.projected in one line: heap and RSS at N, with 2σ. */
export function projectedText(p: ProjectedMemory): string {
  const pm = (v: number, se: number | null) => `${formatBytes(v)}${se !== null ? ` ± ${formatBytes(2 * se)}` : ''}`;
  return (
    `  at ${p.connections.toLocaleString('en-US')} connections${p.extrapolated ? ' (extrapolated)' : ''}: heap ${pm(p.heapBytes, p.heapStdErrBytes)}` +
    `${p.rssBytes !== null ? `, RSS ${pm(p.rssBytes, p.rssStdErrBytes)}` : ''} (fixed + marginal × N, 2σ)`
  );
}
