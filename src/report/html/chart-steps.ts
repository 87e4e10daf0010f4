import type { ConnectionsSection } from '../../model/report.js';
import type { ChartSpec } from './types.js';
import { byteUnit, scaled } from './units.js';

/** The steps with a heap figure, by connections. */
function measuredSteps(c: ConnectionsSection): Array<{ n: number; heap: number }> {
  return c.steps
    .filter((s) => typeof s.heapUsedBytes === 'number' && Number.isFinite(s.heapUsedBytes))
    .map((s) => ({ n: s.connections, heap: s.heapUsedBytes as number }))
    .sort((a, b) => a.n - b.n);
}

/**
 * Heap after a forced GC at each step against the sessions open, and the least-squares line
 * through them from 0 sessions: its intercept is the fixed cost, its slope the marginal one.
 */
export function stepsChart(c: ConnectionsSection): ChartSpec | null {
  const steps = measuredSteps(c);
  if (steps.length === 0) return null;
  const fit = c.marginalBytesPerConnection !== null && c.fixedBytes !== null ? { m: c.marginalBytesPerConnection, b: c.fixedBytes } : null;
  // The line starts at 0 sessions, where it reads the fixed cost; the points start at the first step.
  const xs = fit && steps[0].n > 0 ? [0, ...steps.map((s) => s.n)] : steps.map((s) => s.n);
  const lead = xs.length - steps.length;
  const line = xs.map((n) => (fit ? fit.b + fit.m * n : null));
  const bu = byteUnit([...steps.map((s) => s.heap), ...line]);
  return {
    id: 'steps',
    x: { label: 'sessions open' },
    y: { label: `heap after GC (${bu.name})` },
    series: [
      { label: `heap at each step (${bu.name})`, color: '#d62728', style: 'points' },
      ...(fit ? [{ label: `fit: fixed + marginal × sessions, R² ${c.r2 === null ? 'undefined' : c.r2.toFixed(4)} (${bu.name})`, color: '#000000', style: 'line' as const }] : []),
    ],
    data: [xs, xs.map((_, i) => (i < lead ? null : scaled(steps[i - lead].heap, bu))), ...(fit ? [line.map((v) => scaled(v, bu))] : [])],
  };
}

/**
 * The naive figure, heap / sessions, at each step beside the marginal cost: the naive curve falls
 * as fixed / N and meets the marginal line only at large N, which is why it misleads.
 */
export function naiveChart(c: ConnectionsSection): ChartSpec | null {
  const steps = measuredSteps(c).filter((s) => s.n > 0);
  if (steps.length === 0) return null;
  const m = c.marginalBytesPerConnection;
  const naive = steps.map((s) => s.heap / s.n);
  const bu = byteUnit([...naive, m]);
  return {
    id: 'naive',
    x: { label: 'sessions open' },
    y: { label: `bytes per session (${bu.name})` },
    series: [
      { label: `naive: heap / sessions (${bu.name})`, color: '#ff7f0e', style: 'line' },
      ...(m !== null ? [{ label: `marginal: slope of the fit (${bu.name})`, color: '#000000', style: 'dash' as const }] : []),
    ],
    data: [steps.map((s) => s.n), naive.map((v) => scaled(v, bu)), ...(m !== null ? [steps.map(() => scaled(m, bu))] : [])],
  };
}
