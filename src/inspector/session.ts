import WebSocket from 'ws';
import { inputError, MemprofError } from '../util/errors.js';

/** An error the target's inspector returned for one command (the command reached the target). */
export class CdpError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
  }
}

/** The session ended (target exited, socket closed) while a command was in flight. */
export class SessionClosedError extends MemprofError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'SessionClosedError';
  }
}

/** The target did not answer in time (it is busy, frozen or paused); the session is still open. */
export class CdpTimeoutError extends MemprofError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'CdpTimeoutError';
  }
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | undefined;
}

type Listener = (params: unknown) => void;

/**
 * A minimal Chrome DevTools Protocol client over one WebSocket. Kept small on purpose: memprof
 * needs request/response, events, backpressure for snapshot chunks and prompt notice of the
 * target's death, nothing more.
 */
export class CdpSession {
  /** Resolves (never rejects) once the socket is closed, whoever closed it. */
  readonly closed: Promise<void>;
  /** Why the socket closed, once it has; null while open. */
  closeReason: string | null = null;

  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly interceptors: Array<{ prefix: Buffer; fn: (data: Buffer, start: number) => boolean }> = [];
  private closing = false;

  private constructor(
    private readonly ws: WebSocket,
    readonly url: string,
  ) {
    let markClosed!: () => void;
    this.closed = new Promise<void>((resolve) => (markClosed = resolve));
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code, reason) => {
      this.closeReason ??= this.closing ? 'closed by memprof' : `the target closed the inspector connection (code ${code}${reason.length ? `: ${reason.toString()}` : ''})`;
      this.rejectAll(`inspector connection to ${this.url} closed: ${this.closeReason}`);
      markClosed();
    });
    ws.on('error', (err) => {
      // 'close' always follows 'error' in ws; remember the cause for the message.
      this.closeReason ??= `connection error: ${err.message}`;
    });
  }

  /**
   * Opens the WebSocket. Fails with an input error (exit 2) within `timeoutMs` when nothing
   * answers, when the handshake is refused, or when the peer is not a WebSocket server.
   */
  static connect(url: string, opts: { timeoutMs?: number } = {}): Promise<CdpSession> {
    const timeoutMs = opts.timeoutMs ?? 4000;
    return new Promise((resolve, reject) => {
      // Snapshot chunks and large evaluate results exceed ws's 100 MiB default only rarely, but a
      // refused frame kills the session mid-snapshot; compression would cost CPU for nothing on loopback.
      const ws = new WebSocket(url, { maxPayload: 256 * 1024 * 1024, perMessageDeflate: false, handshakeTimeout: timeoutMs });
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(inputError(`cannot open the inspector WebSocket ${url}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms; check that the target is alive and the address is right`), timeoutMs);
      ws.once('unexpected-response', (_req, res) => {
        fail(`handshake refused (HTTP ${res.statusCode}); another debugger may be attached, or the URL is stale — list the targets with GET /json/list`);
      });
      ws.once('error', (err: NodeJS.ErrnoException) => fail(describeSocketError(err)));
      ws.once('open', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        resolve(new CdpSession(ws, url));
      });
    });
  }

  /** True while a command of this method awaits its answer (e.g. a snapshot that froze the target). */
  isAwaiting(method: string): boolean {
    for (const p of this.pending.values()) if (p.method === method) return true;
    return false;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one command and resolves with its result. Rejects with CdpError or SessionClosedError. */
  send<T = unknown>(method: string, params?: object, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (!this.isOpen) {
      return Promise.reject(new SessionClosedError(`inspector connection to ${this.url} is closed (${this.closeReason ?? 'not open'}); cannot send ${method}`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer =
        opts.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new CdpTimeoutError(`the target did not answer ${method} within ${opts.timeoutMs} ms; it may be blocked or paused`));
            }, opts.timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params: params ?? {} }), (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new SessionClosedError(`cannot send ${method} to ${this.url}: ${err.message}`));
      });
    });
  }

  /** Subscribes to one event; returns the unsubscribe function. Annotate `params` to type it. */
  on<P = Record<string, unknown>>(event: string, fn: (params: P) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const listener = fn as Listener;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Hands messages that begin with `prefix` (their raw bytes) to `fn` before any JSON parsing;
   * when `fn` returns false the message takes the ordinary path. For the one message that is big
   * and frequent (snapshot chunks), so it never becomes a string. Returns the removal function.
   */
  interceptRaw(prefix: string, fn: (data: Buffer, start: number) => boolean): () => void {
    const entry = { prefix: Buffer.from(prefix, 'utf8'), fn };
    this.interceptors.push(entry);
    return () => {
      const i = this.interceptors.indexOf(entry);
      if (i >= 0) this.interceptors.splice(i, 1);
    };
  }

  /** Stops reading from the socket (backpressure); messages already buffered may still arrive. */
  pause(): void {
    if (this.isOpen) this.ws.pause();
  }

  resume(): void {
    if (this.isOpen) this.ws.resume();
  }

  /** Closes the connection politely, and forcibly if the peer does not answer within `timeoutMs`. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return this.closed;
    this.closing = true;
    this.ws.resume();
    const timer = setTimeout(() => this.ws.terminate(), timeoutMs);
    try {
      this.ws.close();
    } catch {
      this.ws.terminate();
    }
    await this.closed;
    clearTimeout(timer);
  }

  /** Drops the connection at once (no close handshake); `reason` becomes the close reason. */
  terminate(reason?: string): void {
    this.closing = true;
    if (reason) this.closeReason ??= reason;
    this.ws.terminate();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) return;
    for (const { prefix, fn } of this.interceptors) {
      if (data.length > prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0 && fn(data, prefix.length)) return;
    }
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: string } };
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.code, msg.error.message + (msg.error.data ? ` (${msg.error.data})` : '')));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (typeof msg.method === 'string') {
      const set = this.listeners.get(msg.method);
      if (!set) return;
      for (const fn of [...set]) fn(msg.params);
    }
  }

  private rejectAll(message: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new SessionClosedError(`${message} (while waiting for ${p.method})`));
    }
  }
}

export function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing is listening there (is the inspector open? start the target with --inspect, or use --target pid:N)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
      return 'the peer reset the connection (not an inspector?)';
    default:
      return err.message.split('\n')[0];
  }
}
