import { afterEach, describe, expect, it } from 'vitest';
import { expectClean, expectLeak, runScenario, stopRuns } from './verdict.js';

/**
 * Issue 8's verdict matrix, second half: memory that stays bounded is no leak (an LRU cache, a
 * pool's free list, a warmed-up cache of compiled things), memory kept per request by live
 * sessions is one. See verdict-matrix.test.ts (the clean verdict twice).
 */
afterEach(stopRuns);

describe('verdict matrix: bounded memory and memory held by live sessions', () => {
  // Retried once, as the clean row of verdict-matrix.test.ts (a 2σ band near the 1 MiB/h limit).
  it('lru (bounded, evicting), point 8 in full (hold 60 s): full before the settled window, then flat: exit 0, no leak', { timeout: 360_000, retry: 1 }, async () => {
    // A bound the warm-up's calls (top step, 2 s at 1 call/s) nearly fill: the cache is at its
    // bound before the settled window however slowly a busy machine answers. (The default 2,000
    // fills in 10 s at the 200 calls/s asked, but a loaded 2-core runner answered 45-80.)
    expectClean(await runScenario({ mode: 'lru', scale: 'point8', churn: false, env: { LRU_SIZE: '500' } }));
  });

  it('pooled (bounded free list), with churn: exit 0, no leak, pool reuse passes', { timeout: 240_000, retry: 1 }, async () => {
    const v = await runScenario({ mode: 'pooled', scale: 'short', churn: true });
    expectClean(v, 'short');
    expect(v.report.checks.find((c) => c.path === 'pools.*.reuseRatio' || c.id === 'pools.*.reuseRatio')?.status, v.diagnostics).toBe('pass');
    // Known flake, retried once: when churn briefly opens more sessions than the warm-up did, the
    // states the pool then creates stay in its free list, and once in a while the window's three
    // snapshots see that list grow every time (read as outliving the sessions).
  });

  it('warm-cache (compiled on first use per tool and argument shape): exit 0, no leak', async () => {
    expectClean(await runScenario({ mode: 'warm-cache', scale: 'short', churn: false }), 'short');
  }, 240_000);

  it('session-history (a record per call on the live session): exit 1, held through the session history', async () => {
    expectLeak(await runScenario({ mode: 'session-history', scale: 'short', churn: false }), { container: 'history', kind: 'grows-with-live-sessions', minBytesPerRequest: 200 });
  }, 240_000);
});
