import { resolvePath } from './resolve.js';
import type { Op } from './units.js';

/**
 * Figures that come from a fit with a known standard error, and where the report keeps it. A
 * figure whose noise is as large as the limit cannot pass or fail that limit on its value alone:
 * a steady growth of −90 ± 151 MiB/h "passes" `< 1 MiB/h` only because the noise happened to
 * come out negative.
 */
const UNCERTAIN_FIGURES: Record<string, { fit: string; stdErr: string; span: string }> = {
  'growth.steadyBytesPerHour': { fit: 'growth.steadyFit', stdErr: 'stdErrBytesPerHour', span: 'windowSec' },
  'growth.loadBytesPerHour': { fit: 'growth.loadFit', stdErr: 'stdErrBytesPerHour', span: 'windowSec' },
};

/** How many standard errors a figure must clear its limit by: about 95 % confidence. */
export const SIGMAS = 2;

export interface Uncertainty {
  stdErr: number;
  /** Time the fit spans, seconds (null if the report does not say). */
  spanSec: number | null;
}

/** The standard error the report gives for the figure at `path`, or null if it has none. */
export function uncertaintyOf(report: unknown, path: string): Uncertainty | null {
  const where = UNCERTAIN_FIGURES[path];
  if (!where) return null;
  const se = resolvePath(report, `${where.fit}.${where.stdErr}`)[0]?.value;
  if (typeof se !== 'number' || !Number.isFinite(se) || se < 0) return null;
  const span = resolvePath(report, `${where.fit}.${where.span}`)[0]?.value;
  return { stdErr: se, spanSec: typeof span === 'number' && Number.isFinite(span) && span > 0 ? span : null };
}

/**
 * Whether `measured ± SIGMAS·stdErr` lies entirely on the passing side of the limit: for `<`/`<=`
 * the upper bound, for `>`/`>=` the lower bound. `==`/`!=` have no side: the plain comparison.
 */
export function verifiedBound(measured: number, op: Op, stdErr: number): number {
  const band = SIGMAS * stdErr;
  if (op === '<' || op === '<=') return measured + band;
  if (op === '>' || op === '>=') return measured - band;
  return measured;
}

/**
 * About how long the fit would have to span for the band to fit within the limit, in seconds, or
 * null when that cannot be said (no span, or the figure itself is on the wrong side). With samples
 * at a steady rate, a slope's standard error falls as span^-3/2. The distance to the limit counted
 * on is at most the limit's own size: a reading far on the passing side (a flat server's noise
 * coming out strongly negative) is itself noise and would promise too short a run.
 */
export function spanNeededSec(measured: number, op: Op, limit: number, u: Uncertainty): number | null {
  if (u.spanSec === null || u.stdErr === 0) return null;
  const distance = op === '<' || op === '<=' ? limit - measured : op === '>' || op === '>=' ? measured - limit : 0;
  const margin = limit !== 0 ? Math.min(distance, Math.abs(limit)) : distance;
  if (!(margin > 0)) return null;
  const targetStdErr = margin / SIGMAS;
  return u.spanSec * Math.pow(u.stdErr / targetStdErr, 2 / 3);
}
