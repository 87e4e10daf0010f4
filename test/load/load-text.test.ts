import { describe, expect, it } from 'vitest';
import type { LoadSummary } from '../../src/load/types.js';
import { formatLoadText } from '../../src/report/load-text.js';

const base: LoadSummary = {
  sessionsOpened: 12,
  sessionsClosed: 11,
  requests: 0,
  connectPerSec: 40,
  msgPerSec: null,
  latencyMs: { p50: null, p90: null, p99: null, max: null },
  errorsByKind: {},
  errors: 0,
  retries: 0,
  durationMs: 1500,
  tool: null,
  interrupted: false,
  initializeLatencyMs: { p50: 2.5, p90: 4, p99: 9.25, max: 12 },
  sessionsFailed: 0,
  peakOpen: 12,
  requestsFailed: 0,
  requestsMissed: 0,
  sseStreams: 0,
  steps: [
    { index: 0, target: 5, connections: 5, t: 0 },
    { index: 1, target: 20, connections: 12, t: 0 },
  ],
  localAddresses: [],
  fdLimit: 20000,
};

describe('load text report', () => {
  it('says "not measured" for what was not measured, never 0', () => {
    const text = formatLoadText(base, 'http://h/mcp');
    expect(text).toMatch(/message rate\s+not measured/);
    expect(text).toMatch(/tool latency\s+not measured/);
    expect(text).toMatch(/initialize\s+p50 2\.5 ms {2}p90 4\.0 ms {2}p99 9\.3 ms {2}max 12\.0 ms/);
    expect(text).toMatch(/steps\s+5 -> 12\/20/);
    expect(text).toMatch(/errors\s+none/);
    expect(text).not.toMatch(/retries|SSE|source addresses|interrupted/);
  });

  it('lists errors by kind, most frequent first, and what else happened', () => {
    const text = formatLoadText(
      {
        ...base,
        interrupted: true,
        errorsByKind: { timeout: 1, http_503: 7 },
        errors: 8,
        retries: 3,
        sseStreams: 12,
        requestsMissed: 4,
        tool: 'echo',
        localAddresses: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
      },
      'http://h/mcp',
    );
    expect(text).toContain('MCP load against http://h/mcp (interrupted)');
    expect(text).toMatch(/errors\s+http_503 7, timeout 1/);
    expect(text).toMatch(/retries\s+3 \(connection reset on a reused keep-alive socket\)/);
    expect(text).toMatch(/SSE streams\s+12 opened/);
    expect(text).toMatch(/0 answered \(echo\), 0 failed, 4 not sent \(too many in flight\)/);
    expect(text).toMatch(/source addresses\s+127\.0\.0\.1\.\.127\.0\.0\.3/);
  });
});
