import type { McpHttp } from './http.js';
import { InFlight } from './in-flight.js';
import { DEFAULT_PROTOCOL_VERSION, INITIALIZED_NOTIFICATION, LoadRequestError, httpError, initializeRequest, negotiatedVersion, responseFor, resultOf } from './jsonrpc.js';
import { LatencyRecorder } from './latency.js';
import { newSession, type Session, type SessionSet } from './session-set.js';
import type { LoadStats } from './stats.js';

/**
 * A session's life over Streamable HTTP: open (initialize, notifications/initialized, the GET SSE
 * stream with --sse), tool calls, and close (DELETE, deferred while the session's own calls are in
 * flight). It counts what happened; when to open or close is the run's business.
 */
export class SessionOps {
  /** Sessions closed (DELETE answered 2xx). */
  closed = 0;
  /**
   * Base sessions we closed whose DELETE is not answered yet (or waits for their calls): the
   * server still holds them. A replacement waits for them, so the server never holds more than the
   * step's count; opening first would let churn push a server's pools and tables to new high-water
   * marks all through the hold, growth that is the load generator's, not the server's.
   */
  closingBase = 0;
  /** GET SSE streams opened. */
  sseStreams = 0;
  readonly initLatency = new LatencyRecorder();
  /** Opens and closes in flight (capped by --concurrency). */
  readonly ops = new InFlight();
  /** Tool calls in flight. */
  readonly calls = new InFlight();
  /** Every request still running, for the final drain. */
  readonly active = new InFlight();
  private nextId = 1;

  constructor(
    private readonly http: McpHttp,
    private readonly sessions: SessionSet,
    private readonly stats: LoadStats,
    private readonly sse: boolean,
    /** A close finished: the run may start what waited for a free slot. */
    private readonly afterClose: () => void,
  ) {}

  takeId(): number {
    return this.nextId++;
  }

  /** initialize, notifications/initialized, and the GET stream with --sse. */
  async open(): Promise<Session> {
    const id = this.takeId();
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
    const session = newSession(reply.sessionId, version);
    try {
      const ack = await this.http.post(INITIALIZED_NOTIFICATION, session.id, version);
      if (ack.status < 200 || ack.status >= 300) throw httpError(ack);
    } catch (err) {
      this.discard(session.id, version);
      throw err;
    }
    if (this.sse) await this.openStream(session);
    return session;
  }

  private async openStream(session: Session): Promise<void> {
    try {
      session.stream = await this.http.openStream(session.id, session.version, () => {
        if (session.index >= 0) this.stats.bump('sse_dropped');
      });
      this.sseStreams++;
    } catch (err) {
      this.stats.bump(`sse_${err instanceof LoadRequestError ? err.kind : 'network'}`);
    }
  }

  /** Best-effort DELETE of a session the server created but we could not use. */
  private discard(sessionId: string, version = DEFAULT_PROTOCOL_VERSION): void {
    void this.active.track(this.http.delete(sessionId, version).then(
      () => undefined,
      () => undefined,
    ));
  }

  /** Takes the session out of the open set and DELETEs it (once its own calls are answered). */
  close(s: Session): Promise<void> {
    if (!this.sessions.remove(s)) return Promise.resolve();
    if (!s.burst) {
      s.closing = true;
      this.closingBase++;
    }
    // A DELETE overtaking our own tool call would turn it into a 404 the server is not to blame for.
    if (s.calls > 0) {
      s.closeDeferred = true;
      return Promise.resolve();
    }
    return this.sendDelete(s);
  }

  private sendDelete(s: Session): Promise<void> {
    this.ops.begin();
    return this.active.track(
      this.http.delete(s.id, s.version).then(
        (reply) => {
          if (reply.status >= 200 && reply.status < 300) {
            this.closed++;
            if (s.burst && this.stats.burst) this.stats.burst.closed++;
          } else this.stats.countError(httpError(reply));
        },
        (err) => this.stats.countError(err),
      ),
      () => {
        this.ops.end();
        s.stream?.close();
        this.settleClose(s);
        this.afterClose();
      },
    );
  }

  /** The server no longer holds `s` (its DELETE settled, or it answered 404). */
  private settleClose(s: Session): void {
    if (!s.closing) return;
    s.closing = false;
    this.closingBase--;
  }

  /** One tools/call on `s` with the body `body(id)` makes. */
  call(s: Session, body: (id: number) => string): void {
    this.calls.begin();
    s.calls++;
    const id = this.takeId();
    const t = performance.now();
    // A call belongs to the burst phase it was sent in.
    const around = this.stats.burst?.recorderNow() ?? null;
    void this.active.track(
      this.http.post(body(id), s.id, s.version).then((reply) => {
        this.stats.callAnswered(performance.now() - t, resultOf(responseFor(reply, id), 'tools/call'));
        around?.record(performance.now() - t);
      }).catch((err) => {
        this.stats.callFailed(err);
        // The server no longer knows the session: stop using it, there is nothing to DELETE.
        if (err instanceof LoadRequestError && err.kind === 'http_404') {
          s.stream?.close();
          s.closeDeferred = false;
          this.sessions.remove(s);
          this.settleClose(s);
        }
      }),
      () => {
        this.calls.end();
        if (--s.calls === 0 && s.closeDeferred) {
          s.closeDeferred = false;
          void this.sendDelete(s);
        }
      },
    );
  }
}
