import { afterEach, describe, it } from 'vitest';
import { expectClean, expectLeak, runScenario, stopRuns } from './verdict.js';

/**
 * Issue 8's verdict matrix, first half: point 8's full scenario on the clean server, and the leaks
 * that outlive sessions. The other half (bounded memory, memory held by live sessions, the clean
 * verdict again) is verdict-matrix-bounded.test.ts: two files, so the two cores run one row each.
 * A row is one `memprof run`: about 45 s at the short scale, a minute and a half at point 8's.
 */
afterEach(stopRuns);

describe('verdict matrix: point 8 and leaks that outlive sessions', () => {
  // Retried once: on a shared 2-core runner the clean server's 2σ band is ±0.7-1.0 MiB/h against
  // a 1 MiB/h limit, and now and then it straddles it (inconclusive: +0.4 ± 0.7 MiB/h seen once).
  it('clean, point 8 in full (hold 60 s, churn): exit 0, no leak group, steady growth passes', { timeout: 360_000, retry: 1 }, async () => {
    expectClean(await runScenario({ mode: 'clean', scale: 'point8', churn: true }));
  });

  it('leaky (closed sessions archived), with churn: exit 1, the sessions held through sessionArchive', async () => {
    expectLeak(await runScenario({ mode: 'leaky', scale: 'short', churn: true }), { container: 'sessionArchive', kind: 'outlives-sessions' });
  }, 240_000);

  it('caching (unbounded Map): exit 1, the entries held through resultCache', async () => {
    expectLeak(await runScenario({ mode: 'caching', scale: 'short', churn: false }), { container: 'resultCache', kind: 'outlives-sessions', minBytesPerRequest: 512 });
  }, 240_000);

  it('listener per request on a module-level emitter: exit 1, held through lifecycle', async () => {
    expectLeak(await runScenario({ mode: 'listener', scale: 'short', churn: false }), { container: 'lifecycle', kind: 'outlives-sessions', minBytesPerRequest: 200 });
  }, 240_000);

  it('clean again (short, churn): the clean verdict is stable', async () => {
    expectClean(await runScenario({ mode: 'clean', scale: 'short', churn: true }), 'short');
  }, 240_000);
});
