import type { ConnectionStep, ConnectionsSection, LinearMemoryFit, ProjectedMemory } from '../model/report.js';
import { linearFit } from './stats.js';

export interface StepMeasurement {
  connections: number;
  heapUsedBytes: number | null;
  rssBytes: number | null;
}

/**
 * Memory per connection from the ramp steps. The naive per-step figure (heap / N) carries the
 * fixed overhead divided by N, so it shrinks as N grows even when every connection costs the same;
 * the slope of heap against N (marginal) and its intercept (fixed) separate the two.
 * The same fit over RSS goes to `rss` (capacity planning needs what the OS sees).
 */
export function connectionsSection(steps: StepMeasurement[]): ConnectionsSection {
  const rows: ConnectionStep[] = steps.map((s) => ({
    connections: s.connections,
    heapUsedBytes: finiteOrNull(s.heapUsedBytes),
    rssBytes: finiteOrNull(s.rssBytes),
    bytesPerConnection:
      s.connections > 0 && isFiniteNumber(s.heapUsedBytes) ? s.heapUsedBytes / s.connections : null,
  }));
  const heap = fitSteps(rows, 'heapUsedBytes');
  return {
    steps: rows,
    marginalBytesPerConnection: heap?.marginalBytesPerConnection ?? null,
    fixedBytes: heap?.fixedBytes ?? null,
    r2: heap?.r2 ?? null,
    rss: fitSteps(rows, 'rssBytes'),
  };
}

/** Least squares of one memory figure against connections, over the steps that measured it. */
export function fitSteps(steps: ConnectionStep[], field: 'heapUsedBytes' | 'rssBytes'): LinearMemoryFit | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of steps) {
    const y = s[field];
    if (isFiniteNumber(y) && Number.isFinite(s.connections)) {
      xs.push(s.connections);
      ys.push(y);
    }
  }
  const fit = linearFit(xs, ys);
  if (!fit) return null;
  return { marginalBytesPerConnection: fit.slope, fixedBytes: fit.intercept, r2: fit.r2, n: fit.n };
}

/**
 * Memory at N connections: fixed + marginal × N from the heap fit and from the RSS fit, each with
 * the standard error of the line at N (s·sqrt(1/n + (N − x̄)²/Sxx), s the residual standard error),
 * which grows the further N lies from the steps measured. N defaults to the top step. Null when
 * the heap fit is null. `projectedBytes` is RSS when fitted (what the machine must provide), else heap.
 */
export function projectConnections(section: ConnectionsSection, n?: number): ProjectedMemory | null {
  const steps = section.steps;
  if (section.marginalBytesPerConnection === null || section.fixedBytes === null || steps.length === 0) return null;
  const top = Math.max(...steps.map((s) => s.connections));
  const at = n ?? top;
  const heapBytes = section.fixedBytes + section.marginalBytesPerConnection * at;
  const rss = section.rss ?? null;
  const rssBytes = rss ? rss.fixedBytes + rss.marginalBytesPerConnection * at : null;
  const heapStdErrBytes = predictionStdErr(steps, 'heapUsedBytes', section.fixedBytes, section.marginalBytesPerConnection, at);
  const rssStdErrBytes = rss ? predictionStdErr(steps, 'rssBytes', rss.fixedBytes, rss.marginalBytesPerConnection, at) : null;
  return {
    connections: at,
    heapBytes,
    heapStdErrBytes,
    rssBytes,
    rssStdErrBytes,
    projectedBytes: rssBytes ?? heapBytes,
    projectedStdErrBytes: rssBytes !== null ? rssStdErrBytes : heapStdErrBytes,
    extrapolated: at > top,
  };
}

function predictionStdErr(steps: ConnectionStep[], field: 'heapUsedBytes' | 'rssBytes', intercept: number, slope: number, at: number): number | null {
  const pts = steps.filter((s) => isFiniteNumber(s[field]));
  if (pts.length < 3) return null;
  const mx = pts.reduce((a, s) => a + s.connections, 0) / pts.length;
  let sxx = 0;
  let ssr = 0;
  for (const s of pts) {
    sxx += (s.connections - mx) ** 2;
    ssr += ((s[field] as number) - (intercept + slope * s.connections)) ** 2;
  }
  if (!(sxx > 0)) return null;
  return Math.sqrt(ssr / (pts.length - 2)) * Math.sqrt(1 / pts.length + (at - mx) ** 2 / sxx);
}

/** Why the connection figures are null, keyed by report path (for report.notes). */
export function connectionsNotes(section: ConnectionsSection): Record<string, string> {
  const notes: Record<string, string> = {};
  if (section.marginalBytesPerConnection === null) {
    const measured = section.steps.filter((s) => s.heapUsedBytes !== null);
    const distinct = new Set(measured.map((s) => s.connections)).size;
    const why =
      distinct < 2
        ? `heap measured at ${distinct} distinct connection count(s); a fit needs at least 2 (use --ramp N1,N2,...)`
        : 'the fit could not be computed';
    notes['connections.marginalBytesPerConnection'] = why;
    notes['connections.fixedBytes'] = why;
    notes['connections.r2'] = why;
  } else if (section.r2 === null) {
    notes['connections.r2'] = 'heap was identical at every step, so R² is undefined';
  }
  section.steps.forEach((s, i) => {
    if (s.bytesPerConnection === null) {
      notes[`connections.steps.${i}.bytesPerConnection`] =
        s.connections <= 0 ? 'no connections open at this step' : 'heap not measured at this step';
    }
  });
  return notes;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function finiteOrNull(v: number | null | undefined): number | null {
  return isFiniteNumber(v) ? v : null;
}
