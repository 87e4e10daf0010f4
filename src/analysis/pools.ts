import type { PoolFigures } from '../model/report.js';
import type { RawPoolCounters } from '../model/recording.js';

/**
 * Pool figures from the counters the target publishes. reuseRatio = reused / (created + reused):
 * the share of acquisitions served from the pool (the origin report divided reused by created,
 * which is not a ratio of anything). Null when the pool was never used, or a counter is missing.
 *
 * With `start` (the counters read when measurement started, after any warm-up), created, reused
 * and reuseRatio count the measured window only: end minus start. A warm-up fills the pool by
 * creating its objects, which says nothing about reuse under the load being measured. The totals
 * as read at the end stay in `total`; peakInUse and inUse are as read at the end. A pool that was
 * not published yet at the start counts from 0. Sorted by name so reports compare line by line.
 */
export function poolSection(end: Record<string, RawPoolCounters>, start?: Record<string, RawPoolCounters> | null): PoolFigures[] {
  return Object.keys(end)
    .sort()
    .map((name) => {
      const c = end[name] ?? ({} as Partial<RawPoolCounters>);
      const total = counts(count(c.created), count(c.reused));
      const figures: PoolFigures = { name, ...total, peakInUse: count(c.peakInUse), inUse: count(c.inUse) };
      if (start) {
        const s = start[name] ?? { created: 0, reused: 0 };
        figures.windowed = true;
        Object.assign(figures, counts(difference(total.created, count(s.created)), difference(total.reused, count(s.reused))));
      }
      figures.total = total;
      return figures;
    });
}

function counts(created: number | null, reused: number | null): { created: number | null; reused: number | null; reuseRatio: number | null } {
  const sum = created !== null && reused !== null ? created + reused : null;
  return { created, reused, reuseRatio: sum !== null && sum > 0 ? reused! / sum : null };
}

/** end - start; null when either is missing or the counter went down (the pool was reset). */
function difference(end: number | null, start: number | null): number | null {
  return end !== null && start !== null && end >= start ? end - start : null;
}

/**
 * Why pool figures are null, keyed by report path (wildcard ids as `check` names them), and, for
 * a report with pools but no reading at the start, that the figures are totals.
 */
export function poolNotes(pools: PoolFigures[], start?: Record<string, RawPoolCounters> | null): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const p of pools) {
    if (p.reuseRatio !== null) continue;
    const tot = p.total;
    let why: string;
    if (tot && (tot.created === null || tot.reused === null)) why = `pool '${p.name}' did not publish numeric created/reused counters`;
    else if (p.created === null || p.reused === null) why = `pool '${p.name}' counters went down during the run (the pool was reset?): no count over the measured window`;
    else if (p.windowed) why = `pool '${p.name}' was not used during the measured window (created + reused did not change)`;
    else why = `pool '${p.name}' was never used (created + reused = 0)`;
    notes[`pools[${p.name}].reuseRatio`] = why;
  }
  if (pools.length > 0) {
    if (!start) {
      notes.pools = 'pool counters were not read when measurement started: created, reused and reuse are the totals as read at the end, any warm-up included';
    } else {
      const late = pools.filter((p) => !(p.name in start)).map((p) => `'${p.name}'`);
      if (late.length) notes.pools = `${late.join(', ')} not published yet when measurement started: counted from 0`;
    }
  }
  return notes;
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}
