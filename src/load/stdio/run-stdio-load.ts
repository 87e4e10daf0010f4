import { MemprofError } from '../../util/errors.js';
import { Allowance } from '../allowance.js';
import { InFlight } from '../in-flight.js';
import { PauseGate } from '../pause-gate.js';
import { Sleeper } from '../sleeper.js';
import { LoadStats } from '../stats.js';
import type { LoadControl, LoadHooks, LoadOptions, LoadStep, LoadSummary } from '../types.js';
import { resultOf } from './client.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, TICK_MS } from '../defaults.js';
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

/** When the server's stdout ends, how long to wait for the exit to be noticed (the clearer message). */
const EXIT_GRACE_MS = 1000;

class StdioLoadRun {
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly stats = new LoadStats();
  private readonly calls = new InFlight();
  private readonly callAllowance = new Allowance(false);
  private readonly gate: PauseGate;
  private readonly sleeper = new Sleeper();
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private lastProgress = 0;
  /** Latencies already reported by onProgress (each report covers those after). */
  private progressLatencyFrom = 0;
  private stopping = false;
  private aborted = false;
  private t0 = 0;

  constructor(
    private readonly options: LoadOptions,
    private readonly hooks: LoadHooks,
    private readonly session: StdioSession,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.gate = new PauseGate({ calls: this.calls, onResume: () => this.callAllowance.reset() });
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
      if (this.session.callBody && this.options.msgRate > 0) this.stats.startMessages(performance.now());
      if (!this.stopping) {
        const step: LoadStep = { index: 0, target: 1, connections: 1, t: Date.now() };
        this.stats.steps.push(step);
        await this.gate.during(() => this.hooks.onStep?.(step));
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
    await this.gate.during(() => this.hooks.onHoldStart?.(1));
    try {
      const during = this.hooks.duringHold?.(this.control());
      await Promise.all([this.sleeper.sleep(this.options.holdMs ?? 0), during]);
    } finally {
      if (!this.stopping) await this.gate.during(() => this.hooks.onHoldEnd?.());
    }
  }

  private control(): LoadControl {
    const { stats, session } = this;
    return {
      // No new calls, those in flight answered, then `measure`; a closed channel ends it instead.
      still: (measure) =>
        this.gate.still(async () => {
          await this.failIfClosed();
          return measure();
        }, () => this.failIfClosed()),
      // One session for the whole run: never closed while measuring.
      closed: 0,
      get requests() {
        return stats.requests;
      },
      get connections() {
        return session.client.closedReason ? 0 : 1;
      },
    };
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
    if (this.session.callBody && this.options.msgRate > 0 && !this.gate.paused) {
      this.callAllowance.accrue(this.options.msgRate, dt);
      while (this.callAllowance.take()) {
        if (this.calls.count >= this.concurrency) this.stats.requestsMissed++;
        else this.callTool();
      }
    }
    if (this.hooks.onProgress && now - this.lastProgress >= 1000) {
      this.lastProgress = now;
      const latency = this.stats.latency.since(this.progressLatencyFrom);
      this.progressLatencyFrom = this.stats.latency.count;
      const open = this.session.client.closedReason ? 0 : 1;
      this.hooks.onProgress({ open, opened: 1, closed: 0, requests: this.stats.requests, errors: this.stats.errors, ...(latency ? { latencyMs: latency } : {}) });
    }
  }

  private callTool(): void {
    const client = this.session.client;
    const id = client.takeId();
    const body = this.session.callBody!(id);
    const t = performance.now();
    void this.calls.track(
      client.send(id, body, this.timeoutMs).then(
        (reply) => this.stats.callAnswered(performance.now() - t, resultOf(reply, 'tools/call')),
        (err) => this.stats.callFailed(err),
      ),
    );
  }

  /** Ctrl-C or the target lost: stop sending, end the hold; what is in flight is still awaited (briefly). */
  private abort(): void {
    this.aborted = true;
    this.stopAll();
  }

  private stopAll(): void {
    this.stopping = true;
    this.sleeper.stop();
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    this.stats.endMessages(performance.now());
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Calls in flight end with their answer, their timeout, or the channel's close.
    await this.calls.idle();
  }

  private fatal(what: string, err: unknown): never {
    const why = this.session.client.closedReason;
    const detail = why ? why.message : err instanceof Error ? err.message : String(err);
    throw new MemprofError(`${what} '${this.session.label}': ${detail}`, 2);
  }

  summary(): LoadSummary {
    const { stats } = this;
    const opened = this.session.opened;
    const init = opened ? round3(opened.initializeMs) : null;
    return {
      sessionsOpened: opened ? 1 : 0,
      sessionsClosed: 0,
      requests: stats.requests,
      connectPerSec: null,
      msgPerSec: stats.msgPerSec(this.gate.pausedMs, performance.now()),
      latencyMs: stats.latency.summary(),
      errorsByKind: stats.errorsByKind,
      errors: stats.errors,
      retries: 0,
      durationMs: Math.round(performance.now() - this.t0),
      tool: this.session.toolName,
      interrupted: this.aborted,
      initializeLatencyMs: { p50: init, p90: init, p99: init, max: init },
      sessionsFailed: 0,
      peakOpen: opened ? 1 : 0,
      requestsFailed: stats.requestsFailed,
      requestsMissed: stats.requestsMissed,
      sseStreams: 0,
      steps: stats.steps.slice(),
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
