import { performance } from 'node:perf_hooks';
import { MemprofError } from '../../util/errors.js';
import { LoadRequestError } from '../jsonrpc.js';
import { LatencyRecorder } from '../latency.js';
import type { LoadControl, LoadHooks, LoadOptions, LoadStep, LoadSummary } from '../types.js';
import { resultOf } from './client.js';
import type { StdioSession } from './session.js';

/**
 * The MCP load generator for a stdio server: the same interface as runLoad (src/load/run-load.ts),
 * so the profiler drives either. A stdio server has one session, so the "ramp" is one step of one
 * session (onStep once, with the load still), and the traffic is tool calls at --msg-rate per
 * second with at most --concurrency in flight; the hold calls onHoldStart, duringHold with a
 * LoadControl, and onHoldEnd as runLoad does. The session is left open at the end: it closes with
 * the process.
 *
 * If the server exits, closes its stdout or writes something that is not MCP, the run ends: it
 * resolves with what was measured when the abort signal says the target is gone, and otherwise
 * rejects with one line saying what happened (session.lastSummary still has the figures).
 */
export async function runStdioLoad(options: LoadOptions, hooks: LoadHooks, session: StdioSession): Promise<LoadSummary> {
  return new StdioLoadRun(options, hooks, session).run();
}

const TICK_MS = 10;
const DEFAULT_CONCURRENCY = 64;
const DEFAULT_TIMEOUT_MS = 30_000;
/** When the server's stdout ends, how long to wait for the exit to be noticed (the clearer message). */
const EXIT_GRACE_MS = 1000;

class StdioLoadRun {
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private requests = 0;
  private requestsFailed = 0;
  private requestsMissed = 0;
  private readonly errorsByKind: Record<string, number> = {};
  private readonly latency = new LatencyRecorder();
  private readonly steps: LoadStep[] = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private callAllowance = 0;
  private paused = false;
  private pausedMs = 0;
  private msgStart = 0;
  private msgEnd = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private lastProgress = 0;
  /** Latencies already reported by onProgress (each report covers those after). */
  private progressLatencyFrom = 0;
  private stopping = false;
  private aborted = false;
  private readonly wakeups = new Set<() => void>();
  private stillChain: Promise<unknown> = Promise.resolve();
  private t0 = 0;

  constructor(
    private readonly options: LoadOptions,
    private readonly hooks: LoadHooks,
    private readonly session: StdioSession,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async run(): Promise<LoadSummary> {
    this.t0 = performance.now();
    this.session.lastSummary = () => this.summary();
    const signal = this.options.signal;
    const onAbort = (): void => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const onClosed = (): void => this.stopAll();
    void this.session.client.closed.then(onClosed);
    try {
      if (signal?.aborted) this.abort();
      if (!this.session.opened) await this.session.open(this.timeoutMs).catch((err) => this.fatal('cannot open the MCP session of', err));
      if (this.options.msgRate > 0) await this.session.chooseTool(this.options.tool, this.options.args, this.timeoutMs);
      this.lastTick = this.lastProgress = performance.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
      if (this.session.callBody && this.options.msgRate > 0) this.msgStart = performance.now();
      if (!this.stopping) {
        const step: LoadStep = { index: 0, target: 1, connections: 1, t: Date.now() };
        this.steps.push(step);
        await this.stillDuring(() => this.hooks.onStep?.(step));
      }
      if (!this.stopping && (this.options.holdMs ?? 0) > 0) await this.hold();
      await this.failIfClosed();
    } catch (err) {
      // The target is gone (the profiler aborted us): what was measured is the answer, not an error.
      if (!this.aborted) throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.finish();
    }
    return this.summary();
  }

  private async hold(): Promise<void> {
    await this.stillDuring(() => this.hooks.onHoldStart?.(1));
    try {
      const during = this.hooks.duringHold?.(this.control());
      await Promise.all([this.sleep(this.options.holdMs ?? 0), during]);
    } finally {
      if (!this.stopping) await this.stillDuring(() => this.hooks.onHoldEnd?.());
    }
  }

  private control(): LoadControl {
    const requests = (): number => this.requests;
    const connections = (): number => (this.session.client.closedReason ? 0 : 1);
    return {
      still: (measure) => this.still(measure),
      // One session for the whole run: never closed while measuring.
      closed: 0,
      get requests() {
        return requests();
      },
      get connections() {
        return connections();
      },
    };
  }

  /** LoadControl.still, one at a time: no new calls, those in flight answered, then `measure`. */
  private still<T>(measure: () => Promise<T>): Promise<T> {
    const next = this.stillChain.then(async () => {
      await this.failIfClosed();
      let result!: T;
      await this.stillDuring(async () => {
        await this.failIfClosed();
        result = await measure();
      });
      return result;
    });
    this.stillChain = next.catch(() => undefined);
    return next;
  }

  private async stillDuring(hook: () => Promise<void> | void): Promise<void> {
    const start = performance.now();
    this.paused = true;
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      await hook();
    } finally {
      this.paused = false;
      this.callAllowance = 0;
      this.pausedMs += performance.now() - start;
    }
  }

  /**
   * Throws the one line that ends the run when the channel has closed. A stdout that ended is most
   * often a process that exited: a moment is left for the exit to be noticed (the abort signal),
   * so the run ends as "the target went away" with its exit code rather than as a closed pipe.
   */
  private async failIfClosed(): Promise<void> {
    const why = this.session.client.closedReason;
    if (!why) return;
    if (why.kind === 'stdout-closed' && !this.aborted) await this.sleepUntilAborted(EXIT_GRACE_MS);
    throw new MemprofError(`'${this.session.label}' ${why.message}${why.kind === 'stdout-closed' ? ' during the run' : ''}`, 2);
  }

  private sleepUntilAborted(ms: number): Promise<void> {
    if (this.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.options.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private tick(): void {
    if (this.stopping) return;
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    if (this.session.callBody && this.options.msgRate > 0 && !this.paused) {
      this.callAllowance += this.options.msgRate * dt;
      while (this.callAllowance >= 1) {
        this.callAllowance -= 1;
        if (this.inFlight >= this.concurrency) this.requestsMissed++;
        else this.callTool();
      }
    }
    if (this.hooks.onProgress && now - this.lastProgress >= 1000) {
      this.lastProgress = now;
      const latency = this.latency.since(this.progressLatencyFrom);
      this.progressLatencyFrom = this.latency.count;
      const open = this.session.client.closedReason ? 0 : 1;
      this.hooks.onProgress({ open, opened: 1, closed: 0, requests: this.requests, errors: this.errorCount(), ...(latency ? { latencyMs: latency } : {}) });
    }
  }

  private callTool(): void {
    const client = this.session.client;
    const id = client.takeId();
    const body = this.session.callBody!(id);
    const t = performance.now();
    this.inFlight++;
    client
      .send(id, body, this.timeoutMs)
      .then((reply) => {
        const result = resultOf(reply, 'tools/call') as { isError?: unknown } | null;
        this.requests++;
        this.latency.record(performance.now() - t);
        if (result && typeof result === 'object' && result.isError === true) this.bump('tool_error');
      })
      .catch((err) => {
        this.requestsFailed++;
        this.bump(err instanceof LoadRequestError ? err.kind : 'internal');
      })
      .finally(() => {
        if (--this.inFlight === 0) this.wakeIdle();
      });
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Ctrl-C or the target lost: stop sending, end the hold; what is in flight is still awaited (briefly). */
  private abort(): void {
    this.aborted = true;
    this.stopAll();
  }

  private stopAll(): void {
    this.stopping = true;
    for (const w of [...this.wakeups]) w();
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    if (this.msgStart > 0 && this.msgEnd === 0) this.msgEnd = performance.now();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Calls in flight end with their answer, their timeout, or the channel's close.
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }

  private fatal(what: string, err: unknown): never {
    const why = this.session.client.closedReason;
    const detail = why ? why.message : err instanceof Error ? err.message : String(err);
    throw new MemprofError(`${what} '${this.session.label}': ${detail}`, 2);
  }

  private bump(kind: string): void {
    this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
  }

  private errorCount(): number {
    let n = 0;
    for (const k in this.errorsByKind) n += this.errorsByKind[k];
    return n;
  }

  summary(): LoadSummary {
    const end = this.msgEnd || performance.now();
    const msgWindow = end - this.msgStart - this.pausedMs;
    const opened = this.session.opened;
    const init = opened ? round3(opened.initializeMs) : null;
    return {
      sessionsOpened: opened ? 1 : 0,
      sessionsClosed: 0,
      requests: this.requests,
      connectPerSec: null,
      msgPerSec: this.msgStart > 0 && msgWindow > 0 ? Math.round((this.requests / (msgWindow / 1000)) * 100) / 100 : null,
      latencyMs: this.latency.summary(),
      errorsByKind: { ...this.errorsByKind },
      errors: this.errorCount(),
      retries: 0,
      durationMs: Math.round(performance.now() - this.t0),
      tool: this.session.toolName,
      interrupted: this.aborted,
      initializeLatencyMs: { p50: init, p90: init, p99: init, max: init },
      sessionsFailed: 0,
      peakOpen: opened ? 1 : 0,
      requestsFailed: this.requestsFailed,
      requestsMissed: this.requestsMissed,
      sseStreams: 0,
      steps: this.steps.slice(),
      localAddresses: [],
      fdLimit: null,
      transport: 'stdio',
      nonProtocolLines: { count: this.session.client.nonProtocol.count, first: this.session.client.nonProtocol.first.slice() },
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
