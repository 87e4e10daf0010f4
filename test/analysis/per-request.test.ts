import { describe, expect, it } from 'vitest';
import { perRequest } from '../../src/analysis/per-request.js';

const window = { startT: 1_000_000, endT: 1_000_000 + 36_000, startRequests: 500, endRequests: 2_300 };

describe('bytes retained per request', () => {
  it('is the heap the steady growth adds over the window, shared among the requests answered in it', () => {
    // 36 s at 100 MB/h is 1 MB; 1,800 requests were answered in the window: 555.6 B each.
    const r = perRequest(100_000_000, window)!;
    expect(r.requestsInWindow).toBe(1800);
    expect(r.bytesPerRequest).toBeCloseTo(1_000_000 / 1800, 6);
    expect(r.reason).toBeNull();
    expect(perRequest(-3_600_000, window)!.bytesPerRequest).toBeCloseTo(-36_000 / 1800, 6);
  });

  it('is null with the reason when the window saw no request, the growth is unmeasured, or the window was not reached', () => {
    expect(perRequest(1e6, { ...window, endRequests: 500 })).toMatchObject({ bytesPerRequest: null, requestsInWindow: 0, reason: expect.stringMatching(/no tool call/) });
    expect(perRequest(1e6, { startT: 0, endT: 10 })).toMatchObject({ bytesPerRequest: null, requestsInWindow: null });
    expect(perRequest(null, window)).toMatchObject({ bytesPerRequest: null, requestsInWindow: 1800, reason: expect.stringMatching(/steady growth was not measured/) });
    expect(perRequest(1e6, null)).toMatchObject({ bytesPerRequest: null, reason: expect.stringMatching(/not reached/) });
  });

  it('is not set out for without a hold (no window at all)', () => {
    expect(perRequest(1e6, undefined)).toBeUndefined();
  });
});
