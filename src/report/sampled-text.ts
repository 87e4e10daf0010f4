import type { LeakFigures, SessionSites } from '../model/report.js';
import { formatNumber } from '../util/format-figure.js';
import { formatBytes } from '../util/units.js';
import { textTable } from './table.js';

/** `fn (file.mjs:12:3)`, as Node prints a frame. */
function frameText(s: { functionName: string; url: string; line: number; column: number }): string {
  return `${s.functionName} (${s.url.replace(/^file:\/\//, '')}:${s.line}:${s.column})`;
}

/** A leak found by the sampling heap profiler: the allocating function named first, then its callers. */
export function allocationSiteLeakText(l: LeakFigures): string[] {
  const where = l.site ? frameText(l.site) : l.name;
  const lines = [
    `  allocated in ${where}: ~${formatBytes(l.retainedSize)} still alive (${formatNumber(l.count)} samples), growth ${l.growthBytes === null ? 'not measured' : formatBytes(l.growthBytes)}`,
  ];
  if (l.outlivesSessions === true) lines.push('    outlives the sessions: still alive after every session closed');
  else if (l.outlivesSessions === false) lines.push('    grows with live sessions: freed when they close');
  const callers = (l.stack ?? []).slice(1, 5).map(frameText);
  if (callers.length) lines.push(`    called from: ${callers.join(' < ')}`);
  return lines;
}

/** What one session is made of by allocation site (sampling heap profiler). */
export function sessionSitesText(s: SessionSites): string[] {
  if (s.sites.length === 0) return [`  by allocation site (sampled): ${formatBytes(s.bytesPerSession)} per session, no single site stands out`];
  return [
    `  by allocation site (sampled, one sample per ${formatBytes(s.samplingIntervalBytes)}): ${formatBytes(s.bytesPerSession)} per session`,
    ...textTable(
      ['allocated in', 'per session', 'share'],
      s.sites.slice(0, 10).map((r) => [frameText(r.site), formatBytes(r.bytesPerSession), `${(r.share * 100).toFixed(0)} %`]),
      ['l', 'r', 'r'],
      '    ',
    ),
  ];
}
