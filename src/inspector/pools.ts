import type { RawPoolCounters } from '../model/recording.js';
import { inputError } from '../util/errors.js';
import { CdpError } from './session.js';
import { evaluate } from './agent.js';
import type { CdpSession } from './session.js';

/** Where a program publishes its pools (docs/report.md, pools): a Map name -> function returning counters. */
export const DEFAULT_POOLS_EXPR = `globalThis[Symbol.for('memprof.pools')]`;

/**
 * Reads pool counters from the target. The published value (or `--pool-expr`) may be a Map or a
 * plain object, whose values are counters or functions (possibly async) returning counters; a
 * function as the whole value is called first. Nothing published → {}.
 */
export async function readPools(session: CdpSession, expr?: string): Promise<Record<string, RawPoolCounters>> {
  const source = expr ?? DEFAULT_POOLS_EXPR;
  let raw: Record<string, unknown> | { __error: string };
  try {
    raw = await evaluate(
      session,
      `(async () => {
        let v = (${source});
        if (typeof v === 'function') v = await v();
        if (v == null) return {};
        const entries = v instanceof Map ? [...v.entries()] : typeof v === 'object' ? Object.entries(v) : null;
        if (!entries) return { __error: 'the expression returned ' + typeof v + ', not a Map or an object' };
        const out = {};
        for (const [name, f] of entries) {
          try {
            const c = typeof f === 'function' ? await f() : f;
            out[String(name)] = c && typeof c === 'object' ? { created: c.created, reused: c.reused, inUse: c.inUse, peakInUse: c.peakInUse } : { __bad: typeof c };
          } catch (e) {
            out[String(name)] = { __threw: String(e && e.message || e) };
          }
        }
        return out;
      })()`,
      { awaitPromise: true, timeoutMs: 10_000 },
    );
  } catch (err) {
    if (err instanceof CdpError) throw inputError(`cannot read pools from the target (${expr ? `--pool-expr '${expr}'` : DEFAULT_POOLS_EXPR}): ${err.message}`);
    throw err;
  }
  if (raw && '__error' in raw) throw inputError(`cannot read pools from the target (${expr ? `--pool-expr '${expr}'` : DEFAULT_POOLS_EXPR}): ${raw.__error}`);

  const pools: Record<string, RawPoolCounters> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const c = value as Record<string, unknown>;
    if ('__threw' in c) throw inputError(`pool '${name}' in the target threw when read: ${String(c.__threw)}`);
    if (!isCount(c.created) || !isCount(c.reused)) {
      throw inputError(`pool '${name}' in the target does not return { created, reused } as non-negative numbers (got ${JSON.stringify(value)})`);
    }
    const counters: RawPoolCounters = { created: c.created, reused: c.reused };
    if (isCount(c.inUse)) counters.inUse = c.inUse;
    if (isCount(c.peakInUse)) counters.peakInUse = c.peakInUse;
    pools[name] = counters;
  }
  return pools;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}
