import { Http1Pool } from './http1.js';
import { LoadRequestError, type HttpReply } from './jsonrpc.js';

/**
 * Streamable HTTP as the load generator speaks it: POST and DELETE over keep-alive sockets, and a
 * GET SSE stream per session on a socket of its own. No SDK Client per session: a session here is
 * a session id string, and a request costs one socket write and one parse.
 */
export interface McpHttpOptions {
  /** Sockets kept for POST/DELETE (requests beyond it queue). */
  maxSockets: number;
  /** Source addresses for the sockets (each is its own ~28K ephemeral-port space per destination). */
  localAddresses: string[];
  timeoutMs: number;
  /** The largest reply body read, bytes (larger: `reply_too_large`). */
  maxReplyBytes: number;
  /** Extra headers for every request (e.g. Authorization). */
  headers: Record<string, string>;
}

export interface SseStream {
  /** Stops reading and releases the socket. */
  close(): void;
  /** True once the server ended the stream or it failed. */
  readonly ended: boolean;
}

const UNSAFE = /[\r\n]/;

export class McpHttp {
  private readonly pool: Http1Pool;
  /** Request line and Host header, then the user's headers, as one string reused by every request. */
  private readonly post0: string;
  private readonly delete0: string;
  private readonly get0: string;

  constructor(
    readonly url: URL,
    opts: McpHttpOptions,
  ) {
    const isTls = url.protocol === 'https:';
    this.pool = new Http1Pool({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port || (isTls ? 443 : 80)),
      tls: isTls,
      maxSockets: opts.maxSockets,
      localAddresses: opts.localAddresses,
      timeoutMs: opts.timeoutMs,
      maxReplyBytes: opts.maxReplyBytes,
    });
    let extra = '';
    for (const [name, value] of Object.entries(opts.headers)) {
      if (UNSAFE.test(name) || UNSAFE.test(value)) throw new LoadRequestError('bad_header', `header ${JSON.stringify(name)} holds a line break`);
      extra += `${name}: ${value}\r\n`;
    }
    const path = url.pathname + url.search;
    const host = `Host: ${url.host}\r\n`;
    this.post0 = `POST ${path} HTTP/1.1\r\n${host}${extra}Accept: application/json, text/event-stream\r\nContent-Type: application/json\r\n`;
    this.delete0 = `DELETE ${path} HTTP/1.1\r\n${host}${extra}`;
    this.get0 = `GET ${path} HTTP/1.1\r\n${host}${extra}Accept: text/event-stream\r\n`;
  }

  /** Connection resets on reused keep-alive sockets that were retried. */
  get retries(): number {
    return this.pool.retries;
  }

  post(body: string, sessionId?: string, protocolVersion?: string): Promise<HttpReply> {
    return this.pool.request(`${this.post0}Content-Length: ${Buffer.byteLength(body)}\r\n${sessionHeaders(sessionId, protocolVersion)}\r\n`, body);
  }

  delete(sessionId: string, protocolVersion: string): Promise<HttpReply> {
    return this.pool.request(`${this.delete0}${sessionHeaders(sessionId, protocolVersion)}\r\n`, undefined);
  }

  /** Opens the session's GET SSE stream; resolves once the server answered 200 text/event-stream. */
  async openStream(sessionId: string, protocolVersion: string, onEnd: () => void): Promise<SseStream> {
    let ended = false;
    const reply = await this.pool.openStream(`${this.get0}${sessionHeaders(sessionId, protocolVersion)}\r\n`, () => {
      if (ended) return;
      ended = true;
      onEnd();
    });
    if (reply.status !== 200 || !reply.contentType.startsWith('text/event-stream')) {
      ended = true;
      reply.socket.destroy();
      throw new LoadRequestError(`http_${reply.status}`, `GET stream refused: HTTP ${reply.status} ${reply.contentType}`);
    }
    return {
      close: () => {
        ended = true;
        reply.socket.destroy();
      },
      get ended() {
        return ended;
      },
    };
  }

  /** Closes the idle keep-alive connections (see Http1Pool.closeIdle). */
  closeIdle(): number {
    return this.pool.closeIdle();
  }

  destroy(): void {
    this.pool.destroy();
  }
}

function sessionHeaders(sessionId: string | undefined, protocolVersion: string | undefined): string {
  let h = '';
  if (sessionId) {
    if (UNSAFE.test(sessionId)) throw new LoadRequestError('malformed_reply', 'the server sent an mcp-session-id with a line break');
    h += `Mcp-Session-Id: ${sessionId}\r\n`;
  }
  if (protocolVersion && !UNSAFE.test(protocolVersion)) h += `Mcp-Protocol-Version: ${protocolVersion}\r\n`;
  return h;
}
