import type { SteadyWindow } from '../model/recording.js';

const MS_PER_HOUR = 3_600_000;

export interface PerRequest {
  /** Heap kept per tool call answered in the settled window: steady growth over the window / its requests. */
  bytesPerRequest: number | null;
  /** Tool calls answered in the settled window. */
  requestsInWindow: number | null;
  /** Why bytesPerRequest is null. */
  reason: string | null;
}

/**
 * Bytes retained per request, from the steady window: the steady growth rate times the window's
 * length is what the heap gained over it, shared among the requests answered in it. Undefined when
 * the run had no hold (the figure was not set out for); null with the reason when the window was
 * not reached or saw no request.
 */
export function perRequest(steadyBytesPerHour: number | null, window: SteadyWindow | null | undefined): PerRequest | undefined {
  if (window === undefined) return undefined;
  if (window === null) return { bytesPerRequest: null, requestsInWindow: null, reason: 'the settled window of the hold was not reached' };
  const spanMs = window.endT - window.startT;
  const requests = window.startRequests !== undefined && window.endRequests !== undefined ? window.endRequests - window.startRequests : null;
  if (requests === null || requests <= 0) {
    return { bytesPerRequest: null, requestsInWindow: requests, reason: 'no tool call was answered in the settled window (use --msg-rate)' };
  }
  if (steadyBytesPerHour === null || !Number.isFinite(steadyBytesPerHour)) {
    return { bytesPerRequest: null, requestsInWindow: requests, reason: 'the steady growth was not measured (see growth.steadyBytesPerHour)' };
  }
  if (!(spanMs > 0)) return { bytesPerRequest: null, requestsInWindow: requests, reason: 'the settled window has no length' };
  return { bytesPerRequest: (steadyBytesPerHour * spanMs) / MS_PER_HOUR / requests, requestsInWindow: requests, reason: null };
}
