import net from 'node:net';
import { parseHead, type Head } from './http1-head.js';
import { LoadRequestError, type HttpReply } from './jsonrpc.js';
import { openSocket, openStream, type StreamHead } from './http1-stream.js';
import { classifyNetworkError, resetError } from './net-errors.js';

/**
 * A minimal HTTP/1.1 client for the load generator: keep-alive sockets to one origin, one request
 * in flight per socket, the request written in a single `write`, the reply parsed straight from the
 * socket's buffers. node:http costs the client about as much CPU per request as the MCP server
 * spends handling it (measured ~0.6 ms per request on this machine); this costs a fraction,
 * which is what keeps the client from being the bottleneck. It only speaks what MCP Streamable
 * HTTP needs: Content-Length or chunked bodies, and replies read to the end of the connection.
 */

export interface Http1Options {
  host: string;
  port: number;
  tls: boolean;
  /** Most sockets open at once for requests; more requests wait in a queue. */
  maxSockets: number;
  /** Source addresses, used in turn for new sockets ([] = the system's choice). */
  localAddresses: string[];
  timeoutMs: number;
  /** The largest reply body read, bytes: a larger one is dropped (`reply_too_large`) and its socket closed. */
  maxReplyBytes: number;
}

interface Pending {
  head: string;
  body: string | undefined;
  resolve: (r: HttpReply) => void;
  reject: (e: LoadRequestError) => void;
  retried: boolean;
}

const enum Phase {
  Head,
  Length,
  Chunked,
  UntilClose,
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

/** One keep-alive socket and the reply being read on it. */
class Conn {
  readonly socket: net.Socket;
  /** The request whose reply is awaited; null while idle. */
  current: Pending | null = null;
  startedAt = 0;
  /** Requests already answered on this socket: a reset before any reply byte on a reused socket is retried. */
  served = 0;
  private gotBytes = false;
  private buf: Buffer | null = null;
  private phase = Phase.Head;
  private head: Head | null = null;
  private remaining = 0;
  private parts: Buffer[] = [];
  private bodyBytes = 0;
  dead = false;

  constructor(
    private readonly pool: Http1Pool,
    private readonly opts: Http1Options,
    localAddress: string | undefined,
  ) {
    this.socket = openSocket(opts, localAddress);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.onGone(err));
    this.socket.on('close', () => this.onGone(null));
  }

  send(p: Pending): void {
    this.current = p;
    this.startedAt = performance.now();
    this.gotBytes = false;
    this.phase = Phase.Head;
    this.socket.write(p.body === undefined ? p.head : p.head + p.body);
  }

  private onData(chunk: Buffer): void {
    if (!this.current) {
      // Bytes nobody asked for: the connection is out of step, drop it.
      this.socket.destroy();
      return;
    }
    this.gotBytes = true;
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.parse();
    } catch (err) {
      this.fail(err instanceof LoadRequestError ? err : new LoadRequestError('malformed_reply', String(err)));
      this.socket.destroy();
    }
  }

  private parse(): void {
    for (;;) {
      const buf = this.buf;
      if (!buf) return;
      switch (this.phase) {
        case Phase.Head: {
          const end = buf.indexOf(CRLFCRLF);
          if (end < 0) {
            // Something that is not HTTP at all (a database, SSH): say so now, not at the timeout.
            if (buf.length >= 5 && buf.toString('latin1', 0, 5) !== 'HTTP/') {
              throw new LoadRequestError('not_mcp', `not an HTTP/1.1 reply: ${JSON.stringify(buf.toString('latin1', 0, 40))}`);
            }
            if (buf.length > 64 * 1024) throw new LoadRequestError('malformed_reply', 'reply headers larger than 64 KiB');
            return;
          }
          const head = parseHead(buf.toString('latin1', 0, end));
          this.buf = buf.length > end + 4 ? buf.subarray(end + 4) : null;
          if (head.status >= 100 && head.status < 200) continue; // interim reply
          this.head = head;
          this.parts = [];
          this.bodyBytes = 0;
          // A body said to be over the cap is refused before a byte of it is read.
          if (head.contentLength > this.opts.maxReplyBytes) this.keep(Buffer.alloc(0), head.contentLength);
          if (head.status === 204 || head.status === 304) {
            this.remaining = 0;
            this.phase = Phase.Length;
          } else if (head.chunked) {
            this.remaining = -1;
            this.phase = Phase.Chunked;
          } else if (head.contentLength >= 0) {
            this.remaining = head.contentLength;
            this.phase = Phase.Length;
          } else {
            this.phase = Phase.UntilClose;
          }
          if (this.phase === Phase.Length && this.remaining === 0) return this.complete();
          continue;
        }
        case Phase.Length: {
          if (buf.length < this.remaining) {
            this.keep(buf);
            this.remaining -= buf.length;
            this.buf = null;
            return;
          }
          this.keep(buf.subarray(0, this.remaining));
          this.buf = null;
          this.remaining = 0;
          return this.complete();
        }
        case Phase.Chunked: {
          if (this.remaining > 0) {
            // Inside a chunk's data (+2 for its trailing CRLF).
            const take = Math.min(this.remaining, buf.length);
            const dataBytes = Math.max(0, Math.min(take, this.remaining - 2));
            if (dataBytes > 0) this.keep(buf.subarray(0, dataBytes));
            this.remaining -= take;
            this.buf = take < buf.length ? buf.subarray(take) : null;
            continue;
          }
          const eol = buf.indexOf(CRLF);
          if (eol < 0) return;
          const size = parseInt(buf.toString('latin1', 0, eol), 16);
          if (!Number.isFinite(size)) throw new LoadRequestError('malformed_reply', 'bad chunk size in the reply');
          if (size === 0) {
            // Last chunk: the body ends at the empty line after the (usually absent) trailers.
            const end = buf.indexOf(CRLF, eol + 2) === eol + 2 ? eol + 4 : buf.indexOf(CRLFCRLF, eol) + 4;
            if (end < 4 || end > buf.length) return;
            this.buf = null;
            return this.complete();
          }
          this.remaining = size + 2;
          this.buf = buf.length > eol + 2 ? buf.subarray(eol + 2) : null;
          continue;
        }
        case Phase.UntilClose:
          this.keep(buf);
          this.buf = null;
          return;
      }
    }
  }

  /**
   * Keeps a piece of the body, within the cap: memprof's memory stays bounded (requests in flight
   * × the cap) whatever a server sends, and a reply too large to be a tool result is an error.
   */
  private keep(part: Buffer, declared = 0): void {
    this.bodyBytes += part.length;
    const cap = this.opts.maxReplyBytes;
    if (this.bodyBytes > cap || declared > cap) {
      this.parts = [];
      throw new LoadRequestError('reply_too_large', `reply body over ${cap} bytes (${declared || `${this.bodyBytes}+`} bytes): dropped unread`);
    }
    this.parts.push(part);
  }

  /** Why the request being served ran out of time: nothing came, an SSE reply never ended, or bytes came too slowly. */
  timeoutError(timeoutMs: number): LoadRequestError {
    if (!this.gotBytes) return new LoadRequestError('timeout', `no reply within ${timeoutMs} ms`);
    if (this.head?.contentType.toLowerCase().startsWith('text/event-stream')) {
      return new LoadRequestError('sse_unended', `the reply's SSE stream was still open after ${timeoutMs} ms (a server closes it after its response)`);
    }
    return new LoadRequestError('slow_reply', `the reply was not complete after ${timeoutMs} ms (${this.bodyBytes} body bytes read): a slow or stalled server`);
  }

  private complete(): void {
    const head = this.head!;
    const p = this.current!;
    const body = this.parts.length === 1 ? this.parts[0].toString('utf8') : Buffer.concat(this.parts).toString('utf8');
    this.parts = [];
    this.head = null;
    this.current = null;
    this.served++;
    p.resolve({ status: head.status, contentType: head.contentType, sessionId: head.sessionId, body });
    if (head.close || this.phase === Phase.UntilClose) this.socket.destroy();
    else this.pool.release(this);
  }

  fail(err: LoadRequestError): void {
    const p = this.current;
    this.current = null;
    p?.reject(err);
  }

  private onGone(err: Error | null): void {
    if (this.dead) return;
    this.dead = true;
    const p = this.current;
    this.current = null;
    if (p && this.phase === Phase.UntilClose && this.head) {
      const head = this.head;
      p.resolve({ status: head.status, contentType: head.contentType, sessionId: head.sessionId, body: Buffer.concat(this.parts).toString('utf8') });
      this.pool.forget(this, null, null);
      return;
    }
    if (p && this.gotBytes) {
      // A reply cut off: not a request that never reached the server, so it is never retried.
      const what = this.head ? `after ${this.bodyBytes} body bytes` : 'in its headers';
      err = new LoadRequestError('truncated_reply', `the connection closed in the middle of the reply (${what})`);
    }
    this.pool.forget(this, p, p && !this.gotBytes && this.served > 0 ? 'retry' : err);
  }
}

export class Http1Pool {
  retries = 0;
  private readonly idle: Conn[] = [];
  private readonly busy = new Set<Conn>();
  private total = 0;
  private queue: Pending[] = [];
  private queueHead = 0;
  private nextAddress = 0;
  private readonly sweep: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: Http1Options) {
    // One timer for all request timeouts, not one per request.
    this.sweep = setInterval(() => this.expire(), Math.min(1000, Math.max(50, opts.timeoutMs / 4)));
    this.sweep.unref();
  }

  request(head: string, body: string | undefined): Promise<HttpReply> {
    return new Promise((resolve, reject) => this.dispatch({ head, body, resolve, reject, retried: false }));
  }

  private dispatch(p: Pending): void {
    if (this.closed) {
      p.reject(shuttingDown());
      return;
    }
    const conn = this.idle.pop();
    if (conn) return this.start(conn, p);
    if (this.total < this.opts.maxSockets) return this.start(this.connect(), p);
    this.queue.push(p);
  }

  private start(conn: Conn, p: Pending): void {
    this.busy.add(conn);
    conn.send(p);
  }

  private connect(): Conn {
    const addrs = this.opts.localAddresses;
    const local = addrs.length > 0 ? addrs[this.nextAddress++ % addrs.length] : undefined;
    this.total++;
    return new Conn(this, this.opts, local);
  }

  /** Called by a connection that finished a reply and can be reused. */
  release(conn: Conn): void {
    this.busy.delete(conn);
    const next = this.takeQueued();
    if (next) return this.start(conn, next);
    this.idle.push(conn);
  }

  /** Called once when a connection is gone; `p` is the request it was serving, if any. */
  forget(conn: Conn, p: Pending | null, why: Error | 'retry' | null): void {
    this.total--;
    this.busy.delete(conn);
    const i = this.idle.lastIndexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    if (p) {
      // The server closed a reused keep-alive socket before answering: the request never
      // reached it, so sending it again once is safe.
      if (why === 'retry' && !p.retried && !this.closed) {
        this.retries++;
        p.retried = true;
        this.dispatch(p);
      } else if (this.closed) {
        p.reject(shuttingDown());
      } else {
        p.reject(classifyNetworkError(why === 'retry' || why === null ? resetError() : why, this.opts));
      }
    }
    if (this.total < this.opts.maxSockets && this.queueHead < this.queue.length && !this.closed) {
      const next = this.takeQueued()!;
      this.start(this.connect(), next);
    }
  }

  private takeQueued(): Pending | null {
    if (this.queueHead >= this.queue.length) return null;
    const p = this.queue[this.queueHead++];
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return p;
  }

  private expire(): void {
    const limit = performance.now() - this.opts.timeoutMs;
    for (const conn of this.busy) {
      if (conn.current && conn.startedAt < limit) {
        conn.fail(conn.timeoutError(this.opts.timeoutMs));
        conn.socket.destroy();
      }
    }
  }

  /**
   * Closes every idle keep-alive connection; returns how many. The server then holds no socket of
   * ours but the busy ones (none when the load stands still), so its memory no longer depends on
   * how many sockets the traffic happened to leave open.
   */
  closeIdle(): number {
    const idle = this.idle.splice(0);
    for (const c of idle) c.socket.destroy();
    return idle.length;
  }

  destroy(): void {
    this.closed = true;
    clearInterval(this.sweep);
    for (const p of this.queue.slice(this.queueHead)) p.reject(shuttingDown());
    this.queue = [];
    this.queueHead = 0;
    for (const c of [...this.idle, ...this.busy]) c.socket.destroy();
  }

  /** A connection of its own for a long-lived GET stream; resolves once the reply head arrived. */
  openStream(head: string, onEnd: () => void): Promise<StreamHead> {
    const addrs = this.opts.localAddresses;
    const localAddress = addrs.length > 0 ? addrs[this.nextAddress++ % addrs.length] : undefined;
    return openStream(this.opts, localAddress, head, onEnd);
  }
}


/** A request the end of the run cut short (its deadline passed, or the run was interrupted). */
function shuttingDown(): LoadRequestError {
  return new LoadRequestError('aborted', 'the load generator is shutting down');
}
