import type { PoolFigures } from '../report/types.js';
import type { RawPoolCounters } from './types.js';

/**
 * Pool figures from the counters the target publishes. reuseRatio = reused / (created + reused):
 * the share of acquisitions served from the pool (the origin report divided reused by created,
 * which is not a ratio of anything). Null when the pool was never used, or a counter is missing.
 * Sorted by name so reports compare line by line.
 */
export function poolSection(raw: Record<string, RawPoolCounters>): PoolFigures[] {
  return Object.keys(raw)
    .sort()
    .map((name) => {
      const c = raw[name] ?? ({} as Partial<RawPoolCounters>);
      const created = count(c.created);
      const reused = count(c.reused);
      const total = created !== null && reused !== null ? created + reused : null;
      return {
        name,
        created,
        reused,
        reuseRatio: total !== null && total > 0 ? reused! / total : null,
        peakInUse: count(c.peakInUse),
        inUse: count(c.inUse),
      };
    });
}

/** Why pool figures are null, keyed by report path (wildcard ids as `check` names them). */
export function poolNotes(pools: PoolFigures[]): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const p of pools) {
    if (p.reuseRatio === null) {
      notes[`pools[${p.name}].reuseRatio`] =
        p.created === null || p.reused === null
          ? `pool '${p.name}' did not publish numeric created/reused counters`
          : `pool '${p.name}' was never used (created + reused = 0)`;
    }
  }
  return notes;
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}
