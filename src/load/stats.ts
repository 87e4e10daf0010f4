import { BurstTally } from './burst-tally.js';
import { LoadRequestError } from './jsonrpc.js';
import { LatencyRecorder } from './latency.js';
import type { LoadStep } from './types.js';

/**
 * The counters every load run keeps, HTTP or stdio: tool calls answered, failed and missed, their
 * latency, errors by kind, the steps measured, and the window over which calls were sent (for the
 * message rate, without the time the load stood still).
 */
export class LoadStats {
  /** With --burst: the burst's own counters and latencies (burst-tally.ts); null without one. */
  burst: BurstTally | null = null;
  /** Tool calls answered. */
  requests = 0;
  requestsFailed = 0;
  requestsMissed = 0;
  readonly latency = new LatencyRecorder();
  readonly steps: LoadStep[] = [];
  private readonly kinds: Record<string, number> = {};
  private msgStart = 0;
  private msgEnd = 0;

  /** Counts one error of `kind` (an errorsByKind key). */
  bump(kind: string): void {
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
  }

  /** Counts a failure by its kind; anything but a LoadRequestError is memprof's own (`internal`). */
  countError(err: unknown): void {
    this.bump(err instanceof LoadRequestError ? err.kind : 'internal');
  }

  callAnswered(ms: number, result: unknown): void {
    this.requests++;
    this.latency.record(ms);
    if (result && typeof result === 'object' && (result as { isError?: unknown }).isError === true) this.bump('tool_error');
  }

  callFailed(err: unknown): void {
    this.requestsFailed++;
    this.countError(err);
  }

  get errorsByKind(): Record<string, number> {
    return { ...this.kinds };
  }

  get errors(): number {
    let n = 0;
    for (const k in this.kinds) n += this.kinds[k];
    return n;
  }

  /** The top error kinds, for a warning: `http_503 x4, timeout x1`. */
  describeKinds(): string {
    const parts = Object.entries(this.kinds)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, n]) => `${k} x${n}`);
    return parts.join(', ') || 'no error reported';
  }

  startMessages(now: number): void {
    this.msgStart = now;
  }

  endMessages(now: number): void {
    if (this.msgStart > 0 && this.msgEnd === 0) this.msgEnd = now;
  }

  /** Counting noise of msgPerSec (sqrt(N) calls over the same window); null where msgPerSec is. */
  msgPerSecStdErr(pausedMs: number, now: number): number | null {
    if (this.msgStart === 0 || this.requests === 0) return null;
    const window = (this.msgEnd || now) - this.msgStart - pausedMs;
    return window > 0 ? round2(Math.sqrt(this.requests) / (window / 1000)) : null;
  }

  /** Calls answered per second while calls were sent, the still time left out; null if none were sent. */
  msgPerSec(pausedMs: number, now: number): number | null {
    if (this.msgStart === 0) return null;
    const window = (this.msgEnd || now) - this.msgStart - pausedMs;
    return window > 0 ? round2(this.requests / (window / 1000)) : null;
  }
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
