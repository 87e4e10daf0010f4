import type { WindowProgram } from '../model/report.js';

const MS_PER_HOUR = 3_600_000;

/**
 * growth.program from the program's own bytes in the window's snapshots (snapshot/analyze.ts
 * programBytes), or null with fewer than two of them or no time between the first and the last.
 */
export function windowProgram(counts: Array<{ t: number; bytes: number }> | undefined): WindowProgram | null {
  const ps = (counts ?? []).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.bytes)).sort((a, b) => a.t - b.t);
  if (ps.length < 2) return null;
  const first = ps[0];
  const last = ps[ps.length - 1];
  if (!(last.t > first.t)) return null;
  return {
    bytes: ps.map((p) => p.bytes),
    atSec: ps.map((p) => (p.t - first.t) / 1000),
    bytesPerHour: ((last.bytes - first.bytes) * MS_PER_HOUR) / (last.t - first.t),
  };
}
