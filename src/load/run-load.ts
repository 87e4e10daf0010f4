import { performance } from 'node:perf_hooks';
import { MemprofError } from '../util/errors.js';
import { McpHttp, type SseStream } from './http.js';
import {
  INITIALIZED_NOTIFICATION,
  LoadRequestError,
  httpError,
  initializeRequest,
  negotiatedVersion,
  responseFor,
  resultOf,
  toolCallTemplate,
  toolsListRequest,
  toolsOf,
} from './jsonrpc.js';
import { LatencyRecorder } from './latency.js';
import { ephemeralPorts, readFdLimit, sourceAddressesFor } from './limits.js';
import { argsFromSchema } from './schema-args.js';
import type { LoadControl, LoadHooks, LoadOptions, LoadStep, LoadSummary } from './types.js';

/**
 * The MCP load generator: opens sessions over raw Streamable HTTP up to each ramp step, sends
 * tool calls at --msg-rate, holds/churns/bursts at the top, and closes everything it opened.
 *
 * One 10 ms ticker drives every rate (opens, calls, churn, burst) from accumulated allowances,
 * so work is spread evenly in time and nothing is scheduled per session: a session costs the
 * client one small object and the requests it sends.
 */
export async function runLoad(options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadSummary> {
  return new LoadRun(options, hooks).run();
}

interface Session {
  id: string;
  version: string;
  /** Position in LoadRun.open, -1 once closed or lost. */
  index: number;
  burst: boolean;
  /** Churn deadline (performance.now() ms). */
  deadline: number;
  stream: SseStream | null;
  /** Tool calls in flight on this session. */
  calls: number;
  /** Closed by us while calls were in flight: DELETE once they are answered. */
  closeDeferred: boolean;
}

const TICK_MS = 10;
const DEFAULT_CONCURRENCY = 64;
const DEFAULT_TIMEOUT_MS = 30_000;
/** After a failed open while holding the count, wait this long before trying again. */
const OPEN_BACKOFF_MS = 100;
/** How long a still measurement waits for churn's replacements before it measures anyway. */
const STILL_TOPUP_MS = 2000;
/** After closing idle sockets, time for the server to see them closed (loopback: well under this). */
const STILL_SOCKETS_MS = 100;

class LoadRun {
  private readonly http: McpHttp;
  private readonly concurrency: number;
  private readonly localAddresses: string[];
  private readonly fdLimit: number | null;

  private readonly open: Session[] = [];
  private baseOpen = 0;
  private readonly burstSessions = new Set<Session>();
  private churnQueue: Session[] = [];
  private churnHead = 0;

  private opened = 0;
  private closed = 0;
  private sessionsFailed = 0;
  private requests = 0;
  private requestsFailed = 0;
  private requestsMissed = 0;
  private sseStreams = 0;
  private peakOpen = 0;
  private readonly errorsByKind: Record<string, number> = {};
  private readonly toolLatency = new LatencyRecorder();
  private readonly initLatency = new LatencyRecorder();
  private readonly steps: LoadStep[] = [];

  private nextId = 1;
  /** Opens and closes in flight (capped by concurrency). */
  private inFlightSessionOps = 0;
  private inFlightBaseOpens = 0;
  private inFlightCalls = 0;
  /** Every promise-returning operation still running, for the final drain. */
  private active = 0;
  private drainWaiters: Array<() => void> = [];

  private callBody: ((id: number) => string) | null = null;
  private toolName: string | null = null;

  private phase: 'idle' | 'ramp' | 'hold' = 'idle';
  private target = 0;
  private phaseFailures = 0;
  private failureBudget = 0;
  private phaseDone: (() => void) | null = null;
  private rateAllowance = 0;
  private openBackoffUntil = 0;
  private rampOpened = 0;
  private rampMs = 0;

  private callAllowance = 0;
  private rr = 0;
  private msgStart = 0;
  private msgEnd = 0;
  /** While a hook runs the load stands still: no tool calls either, so the target can be measured quiet. */
  private paused = false;
  private pausedMs = 0;
  private callsIdleWaiters: Array<() => void> = [];

  private churning = false;
  /** LoadControl.still: opens, churn and calls stopped while a measurement runs. */
  private frozen = false;
  private stillChain: Promise<unknown> = Promise.resolve();
  private churnAllowance = 0;
  private burstActive = false;
  private burstUntil = 0;
  private burstAllowance = 0;

  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private lastProgress = 0;
  /** Tool-call latencies already reported by onProgress (each report covers those after). */
  private progressLatencyFrom = 0;
  private stopping = false;
  private aborted = false;
  private wakeups = new Set<() => void>();

  constructor(
    private readonly options: LoadOptions,
    private readonly hooks: LoadHooks,
  ) {
    const url = parseUrl(options.url);
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
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
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      headers: options.headers ?? {},
    });
  }

  async run(): Promise<LoadSummary> {
    const t0 = performance.now();
    const signal = this.options.signal;
    const onAbort = () => this.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) this.abort();
      await this.probe();
      this.lastTick = this.lastProgress = performance.now();
      this.timer = setInterval(() => this.tick(), TICK_MS);
      if (this.callBody && this.options.msgRate > 0) this.msgStart = performance.now();
      const steps = this.options.ramp.length > 0 ? this.options.ramp : [1];
      for (let i = 0; i < steps.length && !this.stopping; i++) {
        await this.rampTo(steps[i], i);
        if (this.stopping) break;
        const step: LoadStep = { index: i, target: steps[i], connections: this.baseOpen, t: Date.now() };
        this.steps.push(step);
        await this.stillDuring(() => this.hooks.onStep?.(step));
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
      session = await this.openSession();
    } catch (err) {
      this.countError(err);
      this.sessionsFailed++;
      throw fatal(this.options.url, 'cannot open an MCP session', err);
    } finally {
      this.rampMs += performance.now() - start;
    }
    this.adopt(session, false);
    this.rampOpened++;
    if (this.options.msgRate > 0) await this.chooseTool(session);
    else this.toolName = this.options.tool ?? null;
  }

  private async chooseTool(session: Session): Promise<void> {
    const { tool, args } = this.options;
    if (tool !== undefined && args !== undefined) {
      this.toolName = tool;
      this.callBody = toolCallTemplate(tool, args);
      return;
    }
    let tools;
    try {
      const id = this.nextId++;
      const reply = await this.http.post(toolsListRequest(id), session.id, session.version);
      tools = toolsOf(resultOf(responseFor(reply, id), 'tools/list'));
    } catch (err) {
      this.countError(err);
      throw fatal(this.options.url, 'cannot list the tools to call', err);
    }
    const chosen = tool === undefined ? tools[0] : tools.find((t) => t.name === tool);
    if (!chosen) {
      const listed = tools.map((t) => t.name).join(', ');
      throw new MemprofError(
        tool === undefined
          ? `the MCP server at ${this.options.url} lists no tools, so --msg-rate has nothing to call`
          : `tool '${tool}' not found at ${this.options.url}; it lists: ${listed || '(none)'} (use --tool NAME)`,
      );
    }
    this.toolName = chosen.name;
    this.callBody = toolCallTemplate(chosen.name, args !== undefined ? args : argsFromSchema(chosen.inputSchema));
  }

  private async rampTo(target: number, index: number): Promise<void> {
    const start = performance.now();
    this.target = target;
    this.phase = 'ramp';
    this.phaseFailures = 0;
    this.failureBudget = Math.max(10, Math.ceil((target - this.baseOpen) * 0.05));
    this.rateAllowance = 1;
    await new Promise<void>((resolve) => {
      this.phaseDone = resolve;
      this.pump();
      this.checkPhaseDone();
    });
    this.phase = 'idle';
    this.rampMs += performance.now() - start;
    if (this.baseOpen < target && !this.stopping) {
      this.warn(
        `step ${index + 1}: ${this.baseOpen} of ${target} sessions open after ${this.phaseFailures} failed opens ` +
          `(${describeKinds(this.errorsByKind)}); going on`,
      );
    }
  }

  private checkPhaseDone(): void {
    if (!this.phaseDone || this.phase !== 'ramp') return;
    const gaveUp = this.phaseFailures > this.failureBudget && this.inFlightBaseOpens === 0;
    if (this.baseOpen >= this.target || gaveUp || this.stopping) {
      const done = this.phaseDone;
      this.phaseDone = null;
      done();
    }
  }

  /** The top step: keep the count (replacing what churn closes), run the burst, then stop. */
  private async hold(): Promise<void> {
    const { holdMs, burst, churn } = this.options;
    await this.stillDuring(() => this.hooks.onHoldStart?.(this.baseOpen));
    const now = performance.now();
    this.phase = 'hold';
    if (churn) this.startChurn(now);
    if (burst) {
      this.burstActive = true;
      this.burstUntil = now + burst.durationMs;
      this.burstAllowance = 1;
    }
    try {
      const during = this.hooks.duringHold?.(this.control());
      await Promise.all([this.sleep(holdMs || burst?.durationMs || 0), during]);
    } finally {
      this.phase = 'idle';
      this.churning = false;
      this.endBurst();
      await this.stillDuring(() => this.hooks.onHoldEnd?.());
    }
  }

  /**
   * Runs a hook with the load standing still: no opens (the phase is idle), no tool calls, and
   * the calls already sent answered first, so a measurement sees sessions at rest.
   */
  private async stillDuring(hook: () => Promise<void> | void): Promise<void> {
    const start = performance.now();
    this.paused = true;
    try {
      if (this.inFlightCalls > 0) await new Promise<void>((resolve) => this.callsIdleWaiters.push(resolve));
      await hook();
    } finally {
      this.paused = false;
      this.callAllowance = 0;
      this.pausedMs += performance.now() - start;
    }
  }

  private control(): LoadControl {
    const requests = (): number => this.requests;
    const connections = (): number => this.baseOpen;
    const closed = (): number => this.closed;
    return {
      still: (measure) => this.still(measure),
      get closed() {
        return closed();
      },
      get requests() {
        return requests();
      },
      get connections() {
        return connections();
      },
    };
  }

  /** LoadControl.still, one at a time. */
  private still<T>(measure: () => Promise<T>): Promise<T> {
    const next = this.stillChain.then(() => this.stillNow(measure));
    this.stillChain = next.catch(() => undefined);
    return next;
  }

  private async stillNow<T>(measure: () => Promise<T>): Promise<T> {
    const start = performance.now();
    // Churn and calls stop at once; opens go on until churn's replacements have landed, so every
    // measurement of the hold sees the same number of sessions.
    this.paused = true;
    this.frozen = true;
    try {
      await this.until(() => this.stopping || (this.baseOpen >= this.target && this.inFlightBaseOpens === 0) || performance.now() - start > STILL_TOPUP_MS);
      await this.until(() => this.stopping || (this.inFlightCalls === 0 && this.inFlightSessionOps === 0), Infinity);
      // Keep-alive sockets the traffic left open cost the server a few KiB each and come and go
      // with its idle timeout: closed before every still measurement, they are never in it.
      if (this.http.closeIdle() > 0 && !this.stopping) await new Promise((r) => setTimeout(r, STILL_SOCKETS_MS));
      return await measure();
    } finally {
      this.frozen = false;
      this.paused = false;
      this.callAllowance = 0;
      this.churnAllowance = 0;
      this.pausedMs += performance.now() - start;
    }
  }

  /** Resolves when `done()` holds (checked every tick), or after `limitMs`. */
  private async until(done: () => boolean, limitMs = STILL_TOPUP_MS): Promise<void> {
    const start = performance.now();
    while (!done() && performance.now() - start < limitMs) await new Promise((r) => setTimeout(r, TICK_MS / 2));
  }

  private startChurn(now: number): void {
    this.churning = true;
    this.churnAllowance = 0;
    // Deadlines of the sessions already open are spread over one lifetime, so the close rate is
    // steady from the start instead of everything expiring together.
    const current = this.open.filter((s) => !s.burst);
    const life = this.options.lifetimeMs;
    current.forEach((s, i) => (s.deadline = now + ((i + 1) / current.length) * life));
    this.churnQueue = current;
    this.churnHead = 0;
  }

  private endBurst(): void {
    if (!this.burstActive) return;
    this.burstActive = false;
    for (const s of [...this.burstSessions]) this.closeSession(s);
  }

  private async finish(): Promise<void> {
    this.stopping = true;
    this.phase = 'idle';
    this.churning = false;
    this.burstActive = false;
    if (this.msgStart > 0 && this.msgEnd === 0) this.msgEnd = performance.now();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wakeAll();
    // Opens still in flight land in `open` when they complete, so wait before closing.
    await this.drain();
    const left = this.open.slice();
    const worker = async () => {
      for (let s = left.pop(); s; s = left.pop()) await this.closeSession(s);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, left.length) }, worker));
    await this.drain();
    this.http.destroy();
  }

  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.stopping = true;
    this.phase = 'idle';
    this.checkPhaseDone();
    const done = this.phaseDone;
    this.phaseDone = null;
    done?.();
    this.wakeAll();
  }

  // ---- the ticker ---------------------------------------------------------------------------

  private tick(): void {
    if (this.stopping) return;
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const { rate, burst, msgRate } = this.options;
    // Allowances are capped so a stall (a slow server, a long GC) is not repaid with a burst.
    if (this.phase === 'ramp' && rate !== undefined) this.rateAllowance = Math.min(this.rateAllowance + rate * dt, Math.max(1, rate * 0.1));
    if (this.burstActive && burst) {
      if (now >= this.burstUntil) this.endBurst();
      else this.burstAllowance = Math.min(this.burstAllowance + burst.rate * dt, Math.max(1, burst.rate * 0.1));
    }
    if (this.churning && !this.frozen) this.churnTick(now, dt);
    if (this.callBody && msgRate > 0 && !this.paused) this.callTick(dt);
    this.pump();
    if (this.hooks.onProgress && now - this.lastProgress >= 1000) {
      this.lastProgress = now;
      const latency = this.toolLatency.since(this.progressLatencyFrom);
      this.progressLatencyFrom = this.toolLatency.count;
      this.hooks.onProgress({
        open: this.open.length,
        opened: this.opened,
        closed: this.closed,
        requests: this.requests,
        errors: this.errorCount(),
        failed: this.sessionsFailed,
        ...(latency ? { latencyMs: latency } : {}),
      });
    }
  }

  private churnTick(now: number, dt: number): void {
    const churnRate = this.options.churnRate;
    if (churnRate !== undefined && churnRate > 0) {
      this.churnAllowance = Math.min(this.churnAllowance + churnRate * dt, Math.max(1, churnRate * 0.1));
      while (this.churnAllowance >= 1) {
        const victim = this.nextChurnVictim(Infinity);
        if (!victim) break;
        this.churnAllowance -= 1;
        this.closeSession(victim);
      }
    } else {
      for (let victim = this.nextChurnVictim(now); victim; victim = this.nextChurnVictim(now)) this.closeSession(victim);
    }
    if (this.churnHead > 1024 && this.churnHead * 2 > this.churnQueue.length) {
      this.churnQueue = this.churnQueue.slice(this.churnHead);
      this.churnHead = 0;
    }
  }

  /** The oldest open session whose deadline is before `now`, or null. */
  private nextChurnVictim(now: number): Session | null {
    while (this.churnHead < this.churnQueue.length) {
      const s = this.churnQueue[this.churnHead];
      if (s.index < 0) {
        this.churnHead++;
        continue;
      }
      if (s.deadline > now) return null;
      this.churnHead++;
      return s;
    }
    return null;
  }

  private callTick(dt: number): void {
    const n = this.open.length;
    if (n === 0) return;
    this.callAllowance += n * this.options.msgRate * dt;
    while (this.callAllowance >= 1) {
      this.callAllowance -= 1;
      if (this.inFlightCalls >= this.concurrency) {
        this.requestsMissed++;
        continue;
      }
      this.rr = (this.rr + 1) % this.open.length;
      this.callTool(this.open[this.rr]);
    }
  }

  /** Starts as many opens as the phase wants and the limits allow. */
  private pump(): void {
    if (this.stopping) return;
    const now = performance.now();
    const rateLimited = this.phase === 'ramp' && this.options.rate !== undefined;
    while (this.inFlightSessionOps < this.concurrency && this.wantsBaseOpen(now)) {
      if (rateLimited) {
        if (this.rateAllowance < 1) break;
        this.rateAllowance -= 1;
      }
      this.startOpen(false);
    }
    while (this.burstActive && !this.frozen && this.inFlightSessionOps < this.concurrency && this.burstAllowance >= 1) {
      this.burstAllowance -= 1;
      this.startOpen(true);
    }
  }

  private wantsBaseOpen(now: number): boolean {
    if (this.phase === 'idle' || this.baseOpen + this.inFlightBaseOpens >= this.target) return false;
    if (this.phase === 'ramp') return this.phaseFailures <= this.failureBudget;
    return now >= this.openBackoffUntil;
  }

  // ---- sessions and requests ----------------------------------------------------------------

  private startOpen(burst: boolean): void {
    this.inFlightSessionOps++;
    if (!burst) this.inFlightBaseOpens++;
    const phase = this.phase;
    this.track(
      this.openSession().then(
        (s) => {
          this.adopt(s, burst);
          if (phase === 'ramp' && !burst) this.rampOpened++;
        },
        (err) => {
          this.sessionsFailed++;
          this.countError(err);
          if (!burst) this.phaseFailures++;
          this.openBackoffUntil = performance.now() + OPEN_BACKOFF_MS;
        },
      ),
      () => {
        this.inFlightSessionOps--;
        if (!burst) this.inFlightBaseOpens--;
        this.checkPhaseDone();
        this.pump();
      },
    );
  }

  /** initialize, notifications/initialized, and the GET stream with --sse. */
  private async openSession(): Promise<Session> {
    const id = this.nextId++;
    const t = performance.now();
    const reply = await this.http.post(initializeRequest(id));
    let version: string;
    try {
      version = negotiatedVersion(resultOf(responseFor(reply, id), 'initialize'));
      if (!reply.sessionId) {
        throw new LoadRequestError(
          'no_session_id',
          'initialize reply has no mcp-session-id header: the server is stateless, so there are no sessions to hold open',
        );
      }
    } catch (err) {
      if (reply.sessionId) this.discard(reply.sessionId);
      throw err;
    }
    this.initLatency.record(performance.now() - t);
    const session: Session = {
      id: reply.sessionId,
      version,
      index: -1,
      burst: false,
      deadline: Infinity,
      stream: null,
      calls: 0,
      closeDeferred: false,
    };
    try {
      const ack = await this.http.post(INITIALIZED_NOTIFICATION, session.id, version);
      if (ack.status < 200 || ack.status >= 300) throw httpError(ack);
    } catch (err) {
      this.discard(session.id, version);
      throw err;
    }
    if (this.options.sse) {
      try {
        session.stream = await this.http.openStream(session.id, version, () => {
          if (session.index >= 0) this.bump('sse_dropped');
        });
        this.sseStreams++;
      } catch (err) {
        this.bump(`sse_${err instanceof LoadRequestError ? err.kind : 'network'}`);
      }
    }
    return session;
  }

  /** Best-effort DELETE of a session the server created but we could not use. */
  private discard(sessionId: string, version?: string): void {
    this.track(this.http.delete(sessionId, version ?? '2025-03-26').then(
      () => undefined,
      () => undefined,
    ));
  }

  private adopt(s: Session, burst: boolean): void {
    s.burst = burst;
    s.index = this.open.length;
    this.open.push(s);
    this.opened++;
    if (burst) this.burstSessions.add(s);
    else {
      this.baseOpen++;
      if (this.churning) {
        s.deadline = performance.now() + this.options.lifetimeMs;
        this.churnQueue.push(s);
      }
    }
    if (this.open.length > this.peakOpen) this.peakOpen = this.open.length;
  }

  /** Takes the session out of the open set (swap-remove: O(1)). */
  private forget(s: Session): boolean {
    if (s.index < 0) return false;
    const last = this.open.pop()!;
    if (last !== s) {
      this.open[s.index] = last;
      last.index = s.index;
    }
    s.index = -1;
    if (s.burst) this.burstSessions.delete(s);
    else this.baseOpen--;
    return true;
  }

  private closeSession(s: Session): Promise<void> {
    if (!this.forget(s)) return Promise.resolve();
    // A DELETE overtaking our own tool call would turn it into a 404 the server is not to blame for.
    if (s.calls > 0) {
      s.closeDeferred = true;
      return Promise.resolve();
    }
    return this.sendDelete(s);
  }

  private sendDelete(s: Session): Promise<void> {
    this.inFlightSessionOps++;
    return this.track(
      this.http.delete(s.id, s.version).then(
        (reply) => {
          if (reply.status >= 200 && reply.status < 300) this.closed++;
          else this.countError(httpError(reply));
        },
        (err) => this.countError(err),
      ),
      () => {
        this.inFlightSessionOps--;
        s.stream?.close();
        this.pump();
      },
    );
  }

  private callTool(s: Session): void {
    this.inFlightCalls++;
    s.calls++;
    const id = this.nextId++;
    const t = performance.now();
    this.track(
      this.http.post(this.callBody!(id), s.id, s.version).then((reply) => {
        const result = resultOf(responseFor(reply, id), 'tools/call') as { isError?: unknown } | null;
        this.requests++;
        this.toolLatency.record(performance.now() - t);
        if (result && result.isError === true) this.bump('tool_error');
      }).catch((err) => {
        this.requestsFailed++;
        this.countError(err);
        // The server no longer knows the session: stop using it, there is nothing to DELETE.
        if (err instanceof LoadRequestError && err.kind === 'http_404') {
          s.stream?.close();
          s.closeDeferred = false;
          this.forget(s);
        }
      }),
      () => {
        if (--this.inFlightCalls === 0 && this.callsIdleWaiters.length > 0) {
          const waiters = this.callsIdleWaiters;
          this.callsIdleWaiters = [];
          for (const w of waiters) w();
        }
        if (--s.calls === 0 && s.closeDeferred) {
          s.closeDeferred = false;
          void this.sendDelete(s);
        }
      },
    );
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  private track(p: Promise<void>, after?: () => void): Promise<void> {
    this.active++;
    return p.finally(() => {
      after?.();
      if (--this.active === 0) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const w of waiters) w();
      }
    });
  }

  private drain(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }

  private wakeAll(): void {
    for (const w of [...this.wakeups]) w();
  }

  private countError(err: unknown): void {
    this.bump(err instanceof LoadRequestError ? err.kind : 'internal');
  }

  private bump(kind: string): void {
    this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
  }

  private errorCount(): number {
    let n = 0;
    for (const k in this.errorsByKind) n += this.errorsByKind[k];
    return n;
  }

  private warn(message: string): void {
    this.hooks.onWarning?.(message);
  }

  private summary(durationMs: number): LoadSummary {
    const msgWindow = this.msgEnd - this.msgStart - this.pausedMs;
    return {
      sessionsOpened: this.opened,
      sessionsClosed: this.closed,
      requests: this.requests,
      connectPerSec: this.rampOpened > 0 && this.rampMs > 0 ? round2(this.rampOpened / (this.rampMs / 1000)) : null,
      msgPerSec: this.callBody && this.options.msgRate > 0 && msgWindow > 0 ? round2(this.requests / (msgWindow / 1000)) : null,
      latencyMs: this.toolLatency.summary(),
      errorsByKind: { ...this.errorsByKind },
      errors: this.errorCount(),
      retries: this.http.retries,
      durationMs: Math.round(durationMs),
      tool: this.toolName,
      interrupted: this.aborted,
      initializeLatencyMs: this.initLatency.summary(),
      sessionsFailed: this.sessionsFailed,
      peakOpen: this.peakOpen,
      requestsFailed: this.requestsFailed,
      requestsMissed: this.requestsMissed,
      sseStreams: this.sseStreams,
      steps: this.steps.slice(),
      localAddresses: this.localAddresses.slice(),
      fdLimit: this.fdLimit,
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MemprofError(`invalid --mcp URL '${text}': expected e.g. http://127.0.0.1:3000/mcp`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MemprofError(`invalid --mcp URL '${text}': only http:// and https:// Streamable HTTP endpoints are supported`);
  }
  return url;
}

const HINTS: Record<string, string> = {
  econnrefused: 'is the server running, and is the port right?',
  enotfound: 'check the host name',
  eai_again: 'check the host name',
  ehostunreach: 'check the host and the network',
  enetunreach: 'check the host and the network',
  timeout: 'the server did not answer in time',
  econnreset: 'the server closed the connection: is it an HTTP server?',
  not_mcp: 'is this an MCP Streamable HTTP endpoint (usually .../mcp)?',
  malformed_reply: 'is this an MCP Streamable HTTP endpoint (usually .../mcp)?',
  http_404: 'is this an MCP Streamable HTTP endpoint (usually .../mcp)?',
  http_405: 'is this an MCP Streamable HTTP endpoint (usually .../mcp)?',
  http_401: 'the server wants credentials: pass them with --header "Authorization: ..."',
  http_403: 'the server wants credentials: pass them with --header "Authorization: ..."',
  http_429: 'the server rejected initialize; retry when it has capacity',
  http_503: 'the server rejected initialize; retry when it has capacity',
  jsonrpc_error: 'the server refused the request',
};

/** The one-line error for a run that could do nothing: what failed, where, and what to try. */
function fatal(url: string, what: string, err: unknown): MemprofError {
  const kind = err instanceof LoadRequestError ? err.kind : '';
  const message = err instanceof Error ? err.message : String(err);
  const hint = HINTS[kind] ?? (kind.startsWith('http_5') ? 'the server failed; see its log' : '');
  return new MemprofError(`${what} at ${url}: ${message}${hint ? ` (${hint})` : ''}`);
}

function describeKinds(errors: Record<string, number>): string {
  const parts = Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, n]) => `${k} x${n}`);
  return parts.join(', ') || 'no error reported';
}
