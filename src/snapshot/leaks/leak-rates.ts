import type { WindowGain } from './session-leaks.js';

/** The steady window the rates are over: its length and the tool calls answered during it. */
export interface WindowSpan {
  ms: number;
  /** Null when the load generator did not count them. */
  requests: number | null;
}

export interface LeakRates {
  bytesPerHour: number | null;
  objectsPerHour: number | null;
  bytesPerRequest: number | null;
  objectsPerRequest: number | null;
}

const HOUR_MS = 3_600_000;

/** A group's rates over the window; null where the window or its requests do not give one (`rateGaps` says why). */
export function leakRates(gain: WindowGain | null, span: WindowSpan | null): LeakRates {
  const perHour = gain && span && span.ms > 0 ? HOUR_MS / span.ms : null;
  const perRequest = gain && span && span.requests !== null && span.requests > 0 ? 1 / span.requests : null;
  return {
    bytesPerHour: perHour === null ? null : gain!.bytes * perHour,
    objectsPerHour: perHour === null ? null : gain!.objects * perHour,
    bytesPerRequest: perRequest === null ? null : gain!.bytes * perRequest,
    objectsPerRequest: perRequest === null ? null : gain!.objects * perRequest,
  };
}

/** Why `leakRates` gives null, keyed by the rate fields it concerns; empty when both kinds of rate exist. */
export function rateGaps(span: WindowSpan | null): { perHour?: string; perRequest?: string } {
  if (!span) return { perHour: 'no steady window: the rates need the steady-start and steady-end snapshots', perRequest: 'no steady window: the rates need the steady-start and steady-end snapshots' };
  const out: { perHour?: string; perRequest?: string } = {};
  if (!(span.ms > 0)) out.perHour = 'the steady window has no length';
  if (span.requests === null) out.perRequest = 'the requests answered during the steady window were not counted';
  else if (span.requests <= 0) out.perRequest = 'no requests were sent during the steady window (--msg-rate 0)';
  return out;
}

export interface GrowthAttribution {
  /** What the leak groups gained per hour over the window, summed. */
  explainedBytesPerHour: number | null;
  /** The steady growth less what the groups explain, never below 0; null when either is not measured. */
  unexplainedBytesPerHour: number | null;
  /** explained / steady growth, at most 1; null when the growth is not measured or not positive. */
  share: number | null;
}

/**
 * How much of the steady growth the leak groups explain. The groups' gain is what they gained
 * over the same window; it can exceed the heap's net growth (other memory shrank meanwhile), so
 * the share is capped at 1. With no group at all the explained part is 0; when the groups have no
 * rate (no steady window) it is unknown (null), and so is the rest.
 */
export function attributeGrowth(steadyBytesPerHour: number | null, leaks: ReadonlyArray<{ bytesPerHour?: number | null }>): GrowthAttribution {
  const rated = leaks.filter((l) => typeof l.bytesPerHour === 'number');
  const explained = leaks.length > 0 && rated.length === 0 ? null : rated.reduce((s, l) => s + l.bytesPerHour!, 0);
  if (steadyBytesPerHour === null || !Number.isFinite(steadyBytesPerHour)) return { explainedBytesPerHour: explained, unexplainedBytesPerHour: null, share: null };
  if (explained === null) return { explainedBytesPerHour: null, unexplainedBytesPerHour: null, share: null };
  return {
    explainedBytesPerHour: explained,
    unexplainedBytesPerHour: Math.max(0, steadyBytesPerHour - explained),
    share: steadyBytesPerHour > 0 ? Math.min(1, explained / steadyBytesPerHour) : null,
  };
}
