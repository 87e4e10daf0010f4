import { ChurnQueue } from './churn.js';
import { chooseTool } from './choose-tool.js';
import { McpHttp } from './http.js';
import { fatal, parseUrl } from './load-errors.js';
import { ephemeralPorts, readFdLimit, sourceAddressesFor } from './limits.js';
import { Opener } from './opener.js';
import { Allowance } from './allowance.js';
import { PauseGate } from './pause-gate.js';
import { SessionOps } from './session-ops.js';
import { SessionSet, type Session } from './session-set.js';
import { Sleeper, until } from './sleeper.js';
import { BurstTally } from './burst-tally.js';
import { LoadStats, round2 } from './stats.js';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_REPLY_BYTES, DEFAULT_TIMEOUT_MS, TICK_MS } from './defaults.js';
import type { LoadControl, LoadHooks, LoadOptions, LoadStep, LoadSummary } from './types.js';

/**
 * The MCP load generator: opens sessions over raw Streamable HTTP up to each ramp step, sends
 * tool calls at --msg-rate, holds/churns/bursts at the top, and closes everything it opened.
 *
 * One 10 ms ticker drives every rate (opens, calls, churn, burst) from allowances (allowance.ts),
 * so work is spread evenly in time and nothing is scheduled per session: a session costs the
 * client one small object and the requests it sends. The pieces: SessionSet (what is open),
 * SessionOps (open, call, close), ChurnQueue, PauseGate (standing still for a measurement),
 * LoadStats (counters and latency).
 */
export async function runLoad(options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadSummary> {
  return new LoadRun(options, hooks).run();
}

/** How long a still measurement waits for churn's replacements before it measures anyway. */
const STILL_TOPUP_MS = 2000;

class LoadRun {
  private readonly http: McpHttp;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;
  private readonly localAddresses: string[];
  private readonly fdLimit: number | null;
  private readonly stats = new LoadStats();
  private readonly sessions = new SessionSet();
  private readonly ops: SessionOps;
  private readonly opener: Opener;
  private readonly gate: PauseGate;
  private readonly sleeper = new Sleeper();
  private readonly callAllowance = new Allowance(false);
  private readonly churnAllowance = new Allowance(true);

  private callBody: ((id: number) => string) | null = null;
  private toolName: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private lastProgress = 0;
  /** Tool-call latencies already reported by onProgress (each report covers those after). */
  private progressLatencyFrom = 0;
  private stopping = false;
  private aborted = false;

  constructor(
    private readonly options: LoadOptions,
    private readonly hooks: LoadHooks,
  ) {
    const url = parseUrl(options.url);
    if (options.burst) this.stats.burst = new BurstTally();
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.fdLimit = readFdLimit()?.soft ?? null;
    const top = Math.max(1, ...(options.ramp.length > 0 ? options.ramp : [1]));
    const burstExtra = options.burst ? Math.ceil((options.burst.rate * options.burst.durationMs) / 1000) : 0;
    const sockets = this.concurrency * 2 + (options.sse ? top + burstExtra : 0);
    this.localAddresses = options.localAddresses ?? sourceAddressesFor(url.hostname, sockets, ephemeralPorts());
    if (options.sse && this.fdLimit !== null && top + burstExtra > this.fdLimit - 64) {
      this.warn(
        `--sse with ${top + burstExtra} sessions needs one socket each, but the open-files limit is ${this.fdLimit} ` +
          `(ulimit -n; the server needs as many): expect emfile errors beyond that`,
      );
    }
    this.http = new McpHttp(url, {
      maxSockets: this.concurrency * 2 + 8,
      localAddresses: this.localAddresses,
      timeoutMs: this.timeoutMs,
      maxReplyBytes: this.maxReplyBytes,
      headers: options.headers ?? {},
    });
    this.ops = new SessionOps(this.http, this.sessions, this.stats, !!options.sse, () => this.opener.pump());
    this.gate = new PauseGate({
      calls: this.ops.calls,
      sessionOps: this.ops.ops,
      closeIdle: () => this.http.closeIdle(),
      onResume: () => {
        this.callAllowance.reset();
        this.churnAllowance.reset();
      },
    });
    this.opener = new Opener(this.ops, this.sessions, this.stats, {
      concurrency: this.concurrency,
      rate: options.rate,
      lifetimeMs: options.lifetimeMs,
      frozen: () => this.gate.frozen,
    });
  }

  async run(): Promise<LoadSummary> {
    const t0 = performance.now();
    const signal = this.options.signal;
    const onAbort = (): void => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) this.abort();
      await this.probe();
      this.lastTick = this.lastProgress = performance.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
      if (this.callBody && this.options.msgRate > 0) this.stats.startMessages(performance.now());
      const steps = this.options.ramp.length > 0 ? this.options.ramp : [1];
      for (let i = 0; i < steps.length && !this.stopping; i++) {
        await this.rampTo(steps[i], i);
        if (this.stopping) break;
        const step: LoadStep = { index: i, target: steps[i], connections: this.sessions.base, t: Date.now() };
        this.stats.steps.push(step);
        await this.gate.during(() => this.hooks.onStep?.(step));
      }
      if (!this.stopping && (this.options.holdMs || this.options.burst)) await this.hold();
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.finish();
    }
    return this.summary(performance.now() - t0);
  }

  // ---- phases -------------------------------------------------------------------------------

  /** Opens the first session alone: if that fails, nothing can be done, and the error says why. */
  private async probe(): Promise<void> {
    const start = performance.now();
    let session: Session;
    try {
      session = await this.ops.open();
    } catch (err) {
      this.stats.countError(err);
      this.opener.sessionsFailed++;
      throw fatal(this.options.url, 'cannot open an MCP session', err);
    } finally {
      this.opener.rampMs += performance.now() - start;
    }
    this.opener.adopt(session, false);
    this.opener.rampOpened++;
    if (this.options.msgRate > 0) {
      const chosen = await chooseTool(this.http, session, this.ops.takeId(), this.options, this.stats);
      this.toolName = chosen.name;
      this.callBody = chosen.body;
    } else this.toolName = this.options.tool ?? null;
  }

  private async rampTo(target: number, index: number): Promise<void> {
    await this.opener.rampTo(target);
    const open = this.sessions.base;
    if (open < target && !this.stopping) {
      this.warn(
        `step ${index + 1}: ${open} of ${target} sessions open after ${this.opener.failures} failed opens ` +
          `(${this.stats.describeKinds()}); going on`,
      );
    }
  }

  /** The top step: keep the count (replacing what churn closes), run the burst, then stop. */
  private async hold(): Promise<void> {
    const { holdMs, burst, churn, lifetimeMs } = this.options;
    await this.gate.during(() => this.hooks.onHoldStart?.(this.sessions.base));
    const now = performance.now();
    this.opener.phase = 'hold';
    if (churn) {
      this.churnAllowance.reset();
      this.opener.churn = new ChurnQueue();
      this.opener.churn.start(this.sessions.baseSessions(), now, lifetimeMs);
    }
    if (burst) this.opener.startBurst(now, burst.durationMs);
    try {
      const during = this.hooks.duringHold?.(this.control());
      await Promise.all([this.sleeper.sleep(holdMs || burst?.durationMs || 0), during]);
    } finally {
      this.opener.phase = 'idle';
      this.opener.churn = null;
      this.opener.endBurst();
      await this.gate.during(() => this.hooks.onHoldEnd?.());
    }
  }

  private control(): LoadControl {
    const { ops, stats, sessions } = this;
    // Churn and calls stop at once; opens go on until churn's replacements have landed, so every
    // measurement of the hold sees the same number of sessions.
    const topUp = (): Promise<void> =>
      until(() => this.stopping || (this.sessions.base >= this.opener.target && this.opener.baseOpens === 0), STILL_TOPUP_MS);
    return {
      still: (measure) => this.gate.still(measure, topUp),
      get closed() {
        return ops.closed;
      },
      get requests() {
        return stats.requests;
      },
      get connections() {
        return sessions.base;
      },
    };
  }

  /**
   * Stops everything and closes what was opened. It ends on time whatever the server does: what is
   * in flight and the closes get one request timeout together, then the sockets are destroyed.
   */
  private async finish(): Promise<void> {
    this.stop();
    this.stats.endMessages(performance.now());
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = new Sleeper();
    const late = deadline.sleep(this.timeoutMs);
    // Opens still in flight land in the open set when they complete, so wait before closing.
    await Promise.race([this.ops.active.idle(), late]);
    const left = this.sessions.open.slice();
    const worker = async (): Promise<void> => {
      for (let s = left.pop(); s && !deadline.isStopped; s = left.pop()) await this.ops.close(s);
    };
    const closing = Promise.all(Array.from({ length: Math.min(this.concurrency, left.length) }, worker));
    await Promise.race([closing.then(() => this.ops.active.idle()), late]);
    deadline.stop();
    this.http.destroy();
    await this.ops.active.idle();
  }

  private stop(): void {
    this.stopping = true;
    this.opener.stop();
    this.sleeper.stop();
    this.gate.stop();
  }

  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.stop();
  }

  // ---- the ticker ---------------------------------------------------------------------------

  private tick(): void {
    if (this.stopping) return;
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const { rate, burst, msgRate } = this.options;
    if (this.opener.phase === 'ramp' && rate !== undefined) this.opener.rate.accrue(rate, dt);
    if (burst) this.opener.burstTick(now, burst.rate, dt);
    if (this.opener.churn && !this.gate.frozen) this.churnTick(this.opener.churn, now, dt);
    if (this.callBody && msgRate > 0 && !this.gate.paused) this.callTick(dt);
    this.opener.pump();
    if (this.hooks.onProgress && now - this.lastProgress >= 1000) {
      this.lastProgress = now;
      const s = this.sessions;
      const latency = this.stats.latency.since(this.progressLatencyFrom);
      this.progressLatencyFrom = this.stats.latency.count;
      this.hooks.onProgress({
        open: s.size,
        opened: s.opened,
        closed: this.ops.closed,
        requests: this.stats.requests,
        errors: this.stats.errors,
        failed: this.opener.sessionsFailed,
        ...(latency ? { latencyMs: latency } : {}),
      });
    }
  }

  private churnTick(churn: ChurnQueue, now: number, dt: number): void {
    const churnRate = this.options.churnRate;
    if (churnRate !== undefined && churnRate > 0) {
      this.churnAllowance.accrue(churnRate, dt);
      while (this.churnAllowance.available >= 1) {
        const victim = churn.next(Infinity);
        if (!victim) break;
        this.churnAllowance.take();
        void this.ops.close(victim);
      }
    } else {
      for (let victim = churn.next(now); victim; victim = churn.next(now)) void this.ops.close(victim);
    }
  }

  private callTick(dt: number): void {
    if (this.sessions.size === 0) return;
    this.callAllowance.accrue(this.sessions.size * this.options.msgRate, dt);
    while (this.callAllowance.take()) {
      if (this.ops.calls.count >= this.concurrency) this.stats.requestsMissed++;
      else this.ops.call(this.sessions.next()!, this.callBody!);
    }
  }

  private warn(message: string): void {
    this.hooks.onWarning?.(message);
  }

  private summary(durationMs: number): LoadSummary {
    const { stats, sessions, ops, opener } = this;
    return {
      sessionsOpened: sessions.opened,
      sessionsClosed: ops.closed,
      requests: stats.requests,
      connectPerSec: opener.rampOpened > 0 && opener.rampMs > 0 ? round2(opener.rampOpened / (opener.rampMs / 1000)) : null,
      msgPerSec: this.callBody && this.options.msgRate > 0 ? stats.msgPerSec(this.gate.pausedMs, performance.now()) : null,
      latencyMs: stats.latency.summary(),
      errorsByKind: stats.errorsByKind,
      errors: stats.errors,
      retries: this.http.retries,
      durationMs: Math.round(durationMs),
      tool: this.toolName,
      interrupted: this.aborted,
      initializeLatencyMs: ops.initLatency.summary(),
      sessionsFailed: opener.sessionsFailed,
      peakOpen: sessions.peak,
      requestsFailed: stats.requestsFailed,
      requestsMissed: stats.requestsMissed,
      sseStreams: ops.sseStreams,
      steps: stats.steps.slice(),
      localAddresses: this.localAddresses.slice(),
      fdLimit: this.fdLimit,
      maxReplyBytes: this.maxReplyBytes,
      // Counting noise of the rates (sqrt(N) events) and the order-statistics band of the p99.
      stdErr: {
        connectPerSec: opener.rampOpened > 0 && opener.rampMs > 0 ? round2(Math.sqrt(opener.rampOpened) / (opener.rampMs / 1000)) : null,
        msgPerSec: this.callBody && this.options.msgRate > 0 ? stats.msgPerSecStdErr(this.gate.pausedMs, performance.now()) : null,
        latencyP99Ms: stats.latency.quantileStdErr(0.99),
      },
      ...(stats.burst ? { burst: stats.burst.summary() } : {}),
    };
  }
}
