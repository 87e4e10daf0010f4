import type { LoadProgress } from '../model/events.js';
import type { LatencyFigures, LoadStdErr } from '../model/report.js';
import type { BurstLoad } from './burst-tally.js';

/**
 * The programmatic interface of the MCP load generator (src/load). `profile` uses it to measure
 * memory at each step: `onStep` is awaited, and the load stays still (sessions open, no new ones,
 * no tool calls: those in flight are answered before the hook runs) until it resolves. The same
 * holds while onHoldStart / onHoldEnd run.
 */
/** LoadOptions.url of a stdio run: there is no URL, CMD's stdin/stdout carry the session. */
export const STDIO_URL = 'stdio:';

export interface LoadOptions {
  /** Streamable HTTP endpoint, e.g. http://127.0.0.1:3000/mcp (`stdio:` for a stdio server, driven by runStdioLoad). */
  url: string;
  /** Open sessions up to each step, in order; [] or undefined: one step of 1 session. */
  ramp: number[];
  /** Sessions opened per second; undefined = as fast as the server accepts. */
  rate?: number;
  /** Requests per second per open session (tools/call); 0 = none. */
  msgRate: number;
  tool?: string;
  args?: unknown;
  /** Keep the top step open this long (steady state). */
  holdMs?: number;
  /** During the hold, close sessions after lifetimeMs and open new ones to keep the count. */
  churn?: boolean;
  churnRate?: number;
  lifetimeMs: number;
  burst?: { rate: number; durationMs: number };
  /** Open a GET SSE stream per session. */
  sse?: boolean;
  /** Abort (Ctrl-C): stop opening, close everything that was opened, resolve with the summary so far. */
  signal?: AbortSignal;
  /** Requests in flight at most (opens + tool calls + closes); default 64. */
  concurrency?: number;
  /**
   * Per-request timeout; default 30 s. It also bounds the end of the run: the requests still in
   * flight and the closes get one timeout together, then whatever is left is cut (`aborted`).
   */
  timeoutMs?: number;
  /**
   * The largest reply body read, bytes; default 16 MiB. A larger reply is dropped (its socket
   * closed) and counted as `reply_too_large`, so memprof's memory stays bounded whatever a server sends.
   */
  maxReplyBytes?: number;
  /** Extra HTTP headers for every request (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Source addresses for sockets; default: chosen from the port range when needed (loopback only). */
  localAddresses?: string[];
}

/** A ramp step reached: the sessions open when it was measured. */
export interface LoadStep {
  /** Position of the step in --ramp, from 0. */
  index: number;
  /** The step asked for (--ramp value); `connections` may fall short when opens failed. */
  target: number;
  /** Sessions open now. */
  connections: number;
  /** ms since the epoch when the step was reached. */
  t: number;
}

export interface LoadHooks {
  /** Called when a ramp step is reached; awaited before the next step starts. */
  onStep?: (step: LoadStep) => Promise<void> | void;
  /** The top step is reached and the hold begins / ends (steady-state window). */
  onHoldStart?: (connections: number) => Promise<void> | void;
  onHoldEnd?: () => Promise<void> | void;
  /**
   * Runs alongside the hold, with the traffic going on; the hold ends when both its time is up and
   * this has resolved, so a measurement due at the hold's end is made before the load stops.
   */
  duringHold?: (control: LoadControl) => Promise<void>;
  /** Periodic progress (about once a second). */
  onProgress?: (p: LoadProgress) => void;
  /** Something the user should know that does not stop the run (a step not reached, limits). */
  onWarning?: (message: string) => void;
}

/** What a measurement may do to the load while it runs (the hold's steady state). */
export interface LoadControl {
  /**
   * Runs `measure` with the load standing still: sessions closed by churn replaced first (the count
   * is the hold's again, unless opens keep failing), then no opens, no closes, no tool calls, and
   * every request already sent answered. The traffic resumes when `measure` settles.
   */
  still<T>(measure: () => Promise<T>): Promise<T>;
  /** Tool calls answered so far. */
  readonly requests: number;
  /** Sessions closed so far (churn's, during the hold). */
  readonly closed: number;
  /** Sessions open now (without a burst's). */
  readonly connections: number;
}

/** The counters onProgress reports: defined with the run's other live events. */
export type { LoadProgress } from '../model/events.js';

export interface LoadSummary {
  /** Sessions opened (initialize answered). */
  sessionsOpened: number;
  /** Sessions closed (DELETE sent). */
  sessionsClosed: number;
  /** Tool calls answered. */
  requests: number;
  /** Sessions opened per second while opening (excluding hold time). */
  connectPerSec: number | null;
  /** Requests (tools/call) per second over the time requests were sent. */
  msgPerSec: number | null;
  /** Latency of the tool calls, ms (its figures are null when none completed). */
  latencyMs: LatencyFigures;
  /**
   * Errors by kind: `http_NNN` (a non-2xx status, e.g. `http_500`, `http_503`), `malformed_reply`
   * (not JSON, or no JSON-RPC response to the request), `not_mcp` (not JSON or SSE, or not HTTP),
   * `jsonrpc_error`, `tool_error` (a result with isError), `timeout` (no byte of a reply in time: a
   * server that stopped answering), `slow_reply` (a reply begun but not complete in time: slow-loris),
   * `sse_unended` (an SSE reply still open at the timeout), `reply_too_large` (a body over
   * maxReplyBytes), `truncated_reply` (the connection closed in the middle of a reply),
   * `econnreset`/`econnrefused`/... (socket errors, lower-case errno), `aborted` (cut short by the
   * end of the run), `sse_*` (the GET stream of --sse).
   */
  errorsByKind: Record<string, number>;
  /** Requests that failed, of every kind. */
  errors: number;
  /** Connection resets on reused keep-alive sockets that were retried successfully. */
  retries: number;
  /** Wall time of the load, ms. */
  durationMs: number;
  /** The tool that was called, if any. */
  tool: string | null;
  /** The load was cut short (Ctrl-C). */
  interrupted: boolean;
  /** Latency of initialize (session open), ms. */
  initializeLatencyMs: LatencyFigures;
  /** Opens that failed (initialize or notifications/initialized). */
  sessionsFailed: number;
  /** Most sessions open at once. */
  peakOpen: number;
  /** Tool calls that got no usable reply (also counted in errors). */
  requestsFailed: number;
  /** Tool calls --msg-rate asked for but not sent because too many were in flight (client-side backpressure). */
  requestsMissed: number;
  /** GET SSE streams opened (with --sse). */
  sseStreams: number;
  /** Sessions open when each ramp step was measured. */
  steps: LoadStep[];
  /** Source addresses the sockets were spread over ([] = the system's choice). */
  localAddresses: string[];
  /** The soft open-files limit in force during the run (null if unknown). */
  fdLimit: number | null;
  /** Standard errors of the load figures (the run's own noise; `check --baseline` weighs differences against them). */
  stdErr?: LoadStdErr;
  /** With --burst: what the burst did (absent when the run stopped before the hold). */
  burst?: BurstLoad;
  /** Streamable HTTP: the largest reply body read, bytes (a larger one is a `reply_too_large` error); absent for stdio. */
  maxReplyBytes?: number;
  /** How the load reached the server: `stdio` (its stdin/stdout, one session); absent for Streamable HTTP. */
  transport?: 'stdio';
  /**
   * stdio: non-blank lines on the server's stdout that were not JSON-RPC (its protocol channel),
   * counted from its start, and the first few of them (each cut to 200 characters).
   */
  nonProtocolLines?: {
    /** Lines counted. */
    count: number;
    /** The first few, 200 characters each. */
    first: string[];
  };
}
