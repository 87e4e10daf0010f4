import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/model/report.js';
import { afterEach } from 'vitest';

const MiB = 1024 * 1024;

/**
 * A complete report as `profile --mcp` writes it: 40 MiB fixed heap, 30 KiB per connection,
 * every section present. Tests change what they need with `patch`.
 */
export function sampleReport(patch: (r: Report) => void = () => {}): Report {
  const fixed = 40 * MiB;
  const per = 30 * 1024;
  const steps = [100, 500, 1000].map((n) => ({
    connections: n,
    heapUsedBytes: fixed + per * n,
    rssBytes: 2 * fixed + 2 * per * n,
    bytesPerConnection: (fixed + per * n) / n,
  }));
  const r: Report = {
    schema: 'memprof/report@1',
    tool: { name: 'memprof', version: '0.1.0' },
    target: { pid: 4242, nodeVersion: 'v20.20.0', command: 'node server.js' },
    durationSec: 95,
    memory: {
      heapUsedBytes: { start: fixed, end: fixed + per * 1000, peak: fixed + per * 1000 + 12 * MiB },
      rssBytes: { start: 2 * fixed, end: 2 * fixed + 2 * per * 1000, peak: 2 * fixed + 2 * per * 1000 + 20 * MiB },
    },
    connections: {
      steps,
      marginalBytesPerConnection: per,
      fixedBytes: fixed,
      r2: 0.998,
      retained: { class: 'StreamableHTTPServerTransport', count: 1000, meanBytes: 29_000, p50Bytes: 28_500, p90Bytes: 31_000, maxBytes: 40_000 },
      rss: { marginalBytesPerConnection: 2 * per, fixedBytes: 2 * fixed, r2: 0.99, n: 3 },
    },
    growth: {
      loadBytesPerHour: 300 * MiB,
      steadyBytesPerHour: 0.25 * MiB,
      loadFit: { method: 'afterGc', n: 3, r2: 0.99, windowSec: 120, stdErrBytesPerHour: 10 * MiB, minimaWindowSec: null, reason: null },
      steadyFit: { method: 'windowMinima', n: 10, r2: 0.1, windowSec: 50, stdErrBytesPerHour: 0.2 * MiB, minimaWindowSec: 5, reason: null },
    },
    gc: {
      minor: { count: 120, avgMs: 1.2, p99Ms: 4.5, maxMs: 4.5 },
      major: { count: 3, avgMs: 18, p99Ms: 25, maxMs: 25 },
      totalMs: 200,
      overheadPct: 0.21,
      forced: { count: 4, totalMs: 80 },
    },
    pools: [
      { name: 'sessions', created: 100, reused: 900, reuseRatio: 0.9, peakInUse: 120, inUse: 0 },
      { name: 'buffers', created: 10, reused: 990, reuseRatio: 0.99, peakInUse: 9, inUse: 0 },
    ],
    leaks: [],
    load: { connectPerSec: 250, msgPerSec: 900, latencyMs: { p50: 2.1, p99: 11 }, errors: 0 },
    checks: [],
    notes: {},
  };
  patch(r);
  return r;
}

/** A temp directory with files written into it; `cleanup` removes it. */
export function tempFiles(files: Record<string, unknown>): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'memprof-check-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `tempFiles` whose folders are removed after each test of the calling file. Call it once at the
 * top level of a test file: it registers the afterEach hook there.
 */
export function tempFilesPerTest(): (files: Record<string, unknown>) => ReturnType<typeof tempFiles> {
  let cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.forEach((c) => c());
    cleanups = [];
  });
  return (f) => {
    const t = tempFiles(f);
    cleanups.push(t.cleanup);
    return t;
  };
}
