import type { LoadOptions } from '../load/types.js';

/**
 * The fleet's load, one scenario per instance: instance K gets its own URL (`--mcp` given once per
 * target, in the same order) and its share of each ramp step and of the open rate, so the sessions
 * opened across the fleet add up to what was asked and each session stays on the instance whose
 * URL opened it (its Mcp-Session-Id is only known there). Shares differ by at most one session.
 */
export function splitLoad(load: Omit<LoadOptions, 'signal'>, urls: string[]): Array<Omit<LoadOptions, 'signal'>> {
  const n = urls.length;
  const ramp = load.ramp.length ? load.ramp : [1];
  return urls.map((url, k) => ({
    ...load,
    url,
    ramp: ramp.map((step) => share(step, n, k)),
    ...(load.rate !== undefined ? { rate: load.rate / n } : {}),
    ...(load.churnRate !== undefined ? { churnRate: load.churnRate / n } : {}),
    ...(load.burst ? { burst: { ...load.burst, rate: load.burst.rate / n } } : {}),
    ...(load.concurrency !== undefined ? { concurrency: Math.max(1, Math.ceil(load.concurrency / n)) } : {}),
  }));
}

/** Instance k's part of `total` sessions over n instances: the remainder goes to the first ones. */
export function share(total: number, n: number, k: number): number {
  return Math.floor(total / n) + (k < total % n ? 1 : 0);
}
