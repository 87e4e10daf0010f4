import { AGENT_SYMBOL } from '../inspector/agent.js';
import type { LeakFigures } from '../model/report.js';
import { type HeapAnalysis, leakRates, rateGaps, type WindowSpan, findLiveGrowth, findOutlivingLeaks, mergeSessionLeaks, windowDigest, type BoundedGroup, type LiveLeak, type SessionLeak, sortedIds, type SnapshotDigest } from '../snapshot/index.js';
import type { Recording, SnapshotRecord } from './recording.js';

/** Which snapshots the leak method reads (indices into `rec.snapshots`). */
export interface LeakPlan {
  baseline: number;
  target: number;
  final: number;
  /** steady-start, steady-mid (when taken), steady-end (= target): the settled window; null without one. */
  window: number[] | null;
}

/**
 * BASELINE: role 'baseline', else the first snapshot. TARGET: 'steady-end', else the top step
 * (with load), else the middle one. FINAL: 'final', else the last. The window when the run took
 * 'steady-start' and 'steady-end' between BASELINE and FINAL. Null with fewer than 3 snapshots.
 */
export function planLeaks(shots: SnapshotRecord[], load: boolean): LeakPlan | null {
  if (shots.length < 3) return null;
  const last = shots.length - 1;
  const at = (role: SnapshotRecord['role']): number => shots.findIndex((s) => s.role === role);
  const topAt = shots.findIndex((s) => s.top);
  let baseline = at('baseline');
  let final = shots.findLastIndex((s) => s.role === 'final');
  const end = at('steady-end');
  let target = end >= 0 ? end : load && topAt >= 0 ? topAt : Math.floor(last / 2);
  if (baseline < 0) baseline = 0;
  if (final < 0) final = last;
  if (!(baseline < target && target < final)) {
    // Roles out of order (never written so): the positions, as runs without roles have them.
    baseline = 0;
    target = load && topAt > 0 && topAt < last ? topAt : Math.floor(last / 2);
    final = last;
  }
  const start = at('steady-start');
  const mid = at('steady-mid');
  const withMid = mid > start && mid < end && !lopsided(shots[start], shots[mid], shots[end]);
  const window = end === target && start > baseline && start < end ? [start, ...(withMid ? [mid] : []), end] : null;
  return { baseline, target, final, window };
}

/** Below this share of the window's traffic, a half of it says nothing about growth. */
const MIN_HALF_ACTIVITY = 0.25;

/**
 * Did one half of the window see almost none of its traffic (requests and sessions closed)? On a
 * loaded machine the middle snapshot can take most of the window, leaving the last point right
 * after it: a leak then adds nothing in the second half, and "grew in each half" would call it
 * bounded. Such a middle snapshot is left out, and growth is read from start to end alone.
 */
function lopsided(start: SnapshotRecord, mid: SnapshotRecord, end: SnapshotRecord): boolean {
  const activity = (a: SnapshotRecord, b: SnapshotRecord): number | null =>
    typeof a.requests === 'number' && typeof b.requests === 'number' ? b.requests - a.requests + ((b.closed ?? 0) - (a.closed ?? 0)) : null;
  const first = activity(start, mid);
  const second = activity(mid, end);
  if (first === null || second === null || first + second <= 0) return false;
  return Math.min(first, second) < MIN_HALF_ACTIVITY * (first + second);
}

/**
 * The leak method over one pass of the snapshots in order (`take` for each one `wants`): of BASELINE
 * only the ids are kept, of the window's snapshots their digests, so at most one analysis is in
 * memory at a time.
 */
/** Below this, growth inside live sessions is too slow to call a leak (the default steady growth limit). */
const MIN_LIVE_LEAK_BYTES_PER_HOUR = 1024 * 1024;

export class LeakPass {
  private baselineIds: Uint32Array | null = null;
  private targetIds: Uint32Array | null = null;
  private readonly digests: SnapshotDigest[] = [];
  private live: LiveLeak[] = [];
  private bounded: BoundedGroup[] = [];
  private leaks: SessionLeak[] | null = null;
  private error: string | null = null;

  constructor(
    private readonly plan: LeakPlan,
    private readonly shots: SnapshotRecord[],
  ) {}

  /**
   * Did sessions close during the window (churn)? Then an archive of closed sessions grew in it,
   * and a container that did not is bounded, whatever the final close brought back to it (a pool's
   * free list refilled): the close rule is for windows no session closed in.
   */
  private closedInWindow(): boolean {
    const w = this.plan.window;
    if (!w) return false;
    const first = this.shots[w[0]]?.closed;
    const last = this.shots[w[w.length - 1]]?.closed;
    return first !== undefined && last !== undefined && last > first;
  }

  wants(i: number): boolean {
    const p = this.plan;
    return i === p.baseline || i === p.target || i === p.final || (p.window?.includes(i) ?? false);
  }

  fail(i: number, err: unknown): void {
    if (this.wants(i)) this.error ??= `leak detection failed: ${this.shots[i].path} could not be analysed: ${errMessage(err)}`;
  }

  take(i: number, a: HeapAnalysis): void {
    if (this.error || !this.wants(i)) return;
    const { plan } = this;
    try {
      if (i === plan.baseline) this.baselineIds = sortedIds(a);
      const ids = this.baselineIds!;
      if (plan.window && i !== plan.target && plan.window.includes(i)) this.digests.push(windowDigest(a, ids));
      if (i === plan.target) {
        if (plan.window) {
          const live = findLiveGrowth(ids, this.digests, a);
          // Its bounded groups are not noted: they are mostly the sessions opened during the window.
          this.live = live.leaks;
          this.digests.push(live.endDigest);
          this.targetIds = live.endDigest.ids;
        } else {
          this.targetIds = sortedIds(a);
        }
      }
      if (i === plan.final) {
        const window = plan.window ? this.digests : null;
        const out = findOutlivingLeaks(ids, window, this.targetIds!, a, { closeRule: !this.closedInWindow() });
        this.bounded.push(...out.bounded);
        this.leaks = window ? mergeSessionLeaks(out.leaks, this.live, window[window.length - 1], out.finalView) : out.leaks;
      }
    } catch (err) {
      this.error = `leak detection failed: ${errMessage(err)}`;
    }
  }

  /**
   * The groups and those set aside as bounded, or why there are none. memprof's own agent in the
   * target (GC observer, forced-GC windows) is created during the run by memprof itself: never the
   * target's leak.
   */
  result(): { leaks: SessionLeak[]; bounded: BoundedGroup[] } | { error: string } {
    if (this.error || !this.leaks) return { error: this.error ?? 'leak detection did not run: a snapshot it needs was not read' };
    const ours = (path: string[]): boolean => path.some((step) => step.includes(AGENT_SYMBOL));
    return { leaks: this.leaks.filter((l) => !ours(l.path)), bounded: this.bounded.filter((b) => !ours(b.path)) };
  }

  /** Into the recording: the groups (with kind and rates when the run drove load), and notes. */
  finish(rec: Recording, load: boolean): void {
    const result = this.result();
    if ('error' in result) {
      rec.leaks = null;
      rec.notes.leaks = result.error;
      return;
    }
    const { leaks, bounded } = result;
    const span = this.span();
    const minor: string[] = [];
    rec.leaks = leaks
      .map((l) => {
        const figures: LeakFigures = { name: l.name, count: l.count, retainedSize: l.retainedSize, growthBytes: l.growthBytes, path: l.path };
        return load ? { ...figures, kind: l.kind, ...leakRates(l.window, span) } : figures;
      })
      .filter((l) => {
        // Growth inside live sessions slower than the default growth limit (a library's per-instance
        // cache filling) is noted, not called a leak: the steady growth check judges that size.
        const small = l.kind === 'grows-with-live-sessions' && typeof l.bytesPerHour === 'number' && l.bytesPerHour < MIN_LIVE_LEAK_BYTES_PER_HOUR;
        if (small) minor.push(`${l.name} (${l.count} objects, +${Math.round(l.bytesPerHour! / 1024)} KiB/h at ... > ${l.path.slice(-5).join(' > ')})`);
        return !small;
      });
    if (minor.length > 0) rec.notes['leaks.minor'] = `not reported, growing in live sessions at under 1 MiB/h: ${minor.slice(0, 5).join('; ')}`;
    if (load && leaks.length > 0) {
      const gaps = rateGaps(span);
      if (gaps.perHour) rec.notes['leaks.bytesPerHour'] = gaps.perHour;
      if (gaps.perRequest) rec.notes['leaks.bytesPerRequest'] = gaps.perRequest;
    }
    if (bounded.length > 0) {
      const shown = bounded.slice(0, 5).map((b) => `${b.name} (${b.count} objects at ... > ${b.path.slice(-7, -1).join(' > ')}: ${b.evidence})`);
      rec.notes['leaks.bounded'] = `not reported, bounded across the steady window: ${shown.join('; ')}${bounded.length > 5 ? `; and ${bounded.length - 5} more` : ''}`;
    }
  }

  /** The steady window the rates are over: the steady-start and steady-end snapshots' times and request counts. */
  private span(): WindowSpan | null {
    const w = this.plan.window;
    if (!w) return null;
    const start = this.shots[w[0]];
    const end = this.shots[w[w.length - 1]];
    const requests = typeof start.requests === 'number' && typeof end.requests === 'number' ? end.requests - start.requests : null;
    return { ms: end.t - start.t, requests };
  }
}

function errMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
