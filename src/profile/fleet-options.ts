import path from 'node:path';
import { inputError } from '../util/errors.js';
import { splitLoad } from './fleet-load.js';
import type { ProfileOptions } from './profiler.js';

/**
 * Each instance's options: the run's, with its own directory (DIR/instances/K: its samples, GC
 * events, snapshots and report) and, with load, its URL and its share of the sessions. `urls` are
 * the instances' MCP endpoints in instance order ([]: no load).
 */
export function instanceOptions(base: ProfileOptions, count: number, urls: string[]): ProfileOptions[] {
  if (base.load && urls.length !== count) {
    throw inputError(
      urls.length === 1
        ? `--mcp was given once for ${count} targets: give it once per target, in the same order (each session must stay on the instance that opened it; a load balancer's single URL is not supported yet)`
        : `--mcp was given ${urls.length} times for ${count} targets: give it once per target, in the same order`,
    );
  }
  const loads = base.load ? splitLoad(base.load, urls) : [];
  return Array.from({ length: count }, (_, k) => ({
    ...base,
    outDir: path.join(base.outDir, 'instances', String(k)),
    ...(base.load ? { load: loads[k] } : {}),
  }));
}
