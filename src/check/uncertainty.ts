import { resolvePath } from './resolve.js';
import { compare, type Op } from './units.js';

/**
 * Figures that come from a fit with a known standard error, and where the report keeps it. A
 * figure whose noise is as large as the limit cannot pass or fail that limit on its value alone:
 * a steady growth of −90 ± 151 MiB/h "passes" `< 1 MiB/h` only because the noise happened to
 * come out negative.
 */
const UNCERTAIN_FIGURES: Record<string, { fit: string; stdErr: string; span: string; settle?: string; what: string }> = {
  'growth.steadyBytesPerHour': { fit: 'growth.steadyFit', stdErr: 'stdErrBytesPerHour', span: 'windowSec', settle: 'settleSec', what: 'hold' },
  'growth.loadBytesPerHour': { fit: 'growth.loadFit', stdErr: 'stdErrBytesPerHour', span: 'windowSec', what: 'load phase' },
  'connections.projectedBytes': { fit: 'connections.projected', stdErr: 'projectedStdErrBytes', span: 'rampSec', what: 'ramp (more steps)' },
  'load.msgPerSec': { fit: 'load.stdErr', stdErr: 'msgPerSec', span: 'durationSec', what: 'load run' },
  'load.connectPerSec': { fit: 'load.stdErr', stdErr: 'connectPerSec', span: 'durationSec', what: 'load run' },
  'load.latencyMs.p99': { fit: 'load.stdErr', stdErr: 'latencyP99Ms', span: 'durationSec', what: 'load run' },
};

/** How many standard errors a figure must clear its limit by: about 95 % confidence. */
export const SIGMAS = 2;

export interface Uncertainty {
  stdErr: number;
  /** Time the fit spans, seconds (null if the report does not say). */
  spanSec: number | null;
  /** Time before the fit's window that the run spent settling, seconds (0 when none or unknown). */
  settleSec: number;
  /** What the user lengthens to narrow the band: `hold`, `load phase`. */
  what: string;
}

/** The standard error the report gives for the figure at `path`, or null if it has none. */
export function uncertaintyOf(report: unknown, path: string): Uncertainty | null {
  const where = UNCERTAIN_FIGURES[path];
  if (!where) return null;
  const se = resolvePath(report, `${where.fit}.${where.stdErr}`)[0]?.value;
  if (typeof se !== 'number' || !Number.isFinite(se) || se < 0) return null;
  const span = resolvePath(report, `${where.fit}.${where.span}`)[0]?.value;
  const settle = where.settle ? resolvePath(report, `${where.fit}.${where.settle}`)[0]?.value : undefined;
  return {
    stdErr: se,
    spanSec: typeof span === 'number' && Number.isFinite(span) && span > 0 ? span : null,
    settleSec: typeof settle === 'number' && Number.isFinite(settle) && settle > 0 ? settle : 0,
    what: where.what,
  };
}

/**
 * Whether `measured ± SIGMAS·stdErr` reaches across the limit: one end of the band passes and the
 * other fails, so the figure cannot be called either way. `==`/`!=` have no side: never.
 */
export function straddles(measured: number, op: Op, limit: number, stdErr: number): boolean {
  if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return false;
  const band = SIGMAS * stdErr;
  return compare(measured - band, op, limit) !== compare(measured + band, op, limit);
}

/**
 * About how long the fit would have to span for the band to clear the limit on the side the
 * figure is on, in seconds, or null when that cannot be said (no span, no noise, or the figure is
 * on the limit). With samples at a steady rate, a slope's standard error falls as span^-3/2. The
 * distance to the limit counted on is at most the limit's own size: a reading far from it (a flat
 * server's noise coming out strongly negative) is itself noise and would promise too short a run.
 */
export function spanNeededSec(measured: number, op: Op, limit: number, u: Pick<Uncertainty, 'stdErr' | 'spanSec'>): number | null {
  if (u.spanSec === null || u.stdErr === 0) return null;
  const distance = op === '<' || op === '<=' || op === '>' || op === '>=' ? Math.abs(limit - measured) : 0;
  const margin = limit !== 0 ? Math.min(distance, Math.abs(limit)) : distance;
  if (!(margin > 0)) return null;
  const targetStdErr = margin / SIGMAS;
  return u.spanSec * Math.pow(u.stdErr / targetStdErr, 2 / 3);
}

/**
 * The run length that gives that span: the window needed plus the settling before it, taken to
 * grow in proportion (the settle period is a share of the hold), so the estimate errs long.
 */
export function holdNeededSec(measured: number, op: Op, limit: number, u: Uncertainty): number | null {
  const span = spanNeededSec(measured, op, limit, u);
  if (span === null || u.spanSec === null) return null;
  return span * (1 + u.settleSec / u.spanSec);
}
