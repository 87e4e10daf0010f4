import { describe, expect, it } from 'vitest';
import type { LoadControl } from '../../src/load/types.js';
import { measureRecovery } from '../../src/profile/burst-recovery.js';
import { RunControl } from '../../src/profile/run-control.js';

/** The recovery window's schedule, with the load's still moments run at once (no target needed). */
async function recoveryPoints(overBudget: boolean): Promise<number> {
  let points = 0;
  const control = { connections: 4, still: async (fn: () => Promise<unknown>) => fn() } as unknown as LoadControl;
  await measureRecovery({
    burst: { rate: 10, durationMs: 10 },
    recoveryMs: 3000,
    intervalMs: 100,
    control,
    run: new RunControl(new AbortController().signal),
    progress: () => {},
    measure: async () => {
      points++;
    },
    overBudget: () => overBudget,
  });
  return points;
}

describe('burst recovery points', () => {
  it('a point every spacing (at least 1 s) over the window; over --max-pause only the first and the last', async () => {
    const [within, over] = await Promise.all([recoveryPoints(false), recoveryPoints(true)]);
    expect(within).toBeGreaterThanOrEqual(3);
    expect(within).toBeLessThanOrEqual(5);
    expect(over).toBe(2);
  });
});
