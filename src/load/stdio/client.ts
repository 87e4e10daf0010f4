import type { Readable, Writable } from 'node:stream';
import { LoadRequestError } from '../jsonrpc.js';
import { StdioFramer, type ChannelClosed, type FramerOptions, type JsonRpcMessage, type NonProtocolLines } from './framer.js';

/**
 * The JSON-RPC client end of one stdio MCP session: requests matched to responses by id, each
 * with a timeout, and the few requests a server may send its client answered (ping with an empty
 * result, anything else with "method not found", as a client with no capabilities does).
 * Everything pending fails with `kind` 'closed' when the channel closes.
 */
export class StdioClient {
  private readonly framer: StdioFramer;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedWhy: ChannelClosed | null = null;
  /** Responses whose request had already timed out or was never sent. */
  lateReplies = 0;
  /** Requests and notifications the server sent us. */
  serverMessages = 0;

  constructor(stdout: Readable, stdin: Writable, opts: FramerOptions = {}) {
    this.framer = new StdioFramer(stdout, stdin, (m) => this.onMessage(m), opts);
    void this.framer.closed.then((why) => {
      this.closedWhy = why;
      const err = new LoadRequestError('closed', `the server ${why.message}`);
      for (const p of this.pending.values()) p.fail(err);
      this.pending.clear();
    });
  }

  get nonProtocol(): NonProtocolLines {
    return this.framer.nonProtocol;
  }

  /** Resolves when the channel closes, with why. */
  get closed(): Promise<ChannelClosed> {
    return this.framer.closed;
  }

  get closedReason(): ChannelClosed | null {
    return this.closedWhy;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** The next request id, for callers that build the request text themselves (tools/call templates). */
  takeId(): number {
    return this.nextId++;
  }

  /** Sends `body` (a request carrying `id`) and resolves with its response; rejects with a LoadRequestError. */
  send(id: number, body: string, timeoutMs: number): Promise<JsonRpcMessage> {
    if (this.closedWhy) return Promise.reject(new LoadRequestError('closed', `the server ${this.closedWhy.message}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LoadRequestError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const done = (): void => clearTimeout(timer);
      this.pending.set(id, {
        ok: (m) => {
          done();
          resolve(m);
        },
        fail: (err) => {
          done();
          reject(err);
        },
      });
      if (!this.framer.send(body)) {
        this.pending.delete(id);
        done();
        reject(new LoadRequestError('closed', 'the server no longer reads its stdin'));
      }
    });
  }

  /** A request from method and params; the result, or a LoadRequestError ('jsonrpc_error' for an error response). */
  async request(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.takeId();
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return resultOf(await this.send(id, body, timeoutMs), method);
  }

  notify(method: string, params?: unknown): boolean {
    return this.framer.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }));
  }

  private onMessage(m: JsonRpcMessage): void {
    if (typeof m.method === 'string') {
      this.serverMessages++;
      // A request from the server (it has an id): answer it, or it may wait for us forever.
      if (m.id !== undefined && m.id !== null) {
        const reply = m.method === 'ping' ? { result: {} } : { error: { code: -32601, message: `Method not found: memprof's client does not offer ${m.method}` } };
        this.framer.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, ...reply }));
      }
      return;
    }
    const p = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (!p) {
      this.lateReplies++;
      return;
    }
    this.pending.delete(m.id as number);
    p.ok(m);
  }
}

interface Pending {
  ok(m: JsonRpcMessage): void;
  fail(err: LoadRequestError): void;
}

/** The result of a response, or why there is none ('jsonrpc_error', 'malformed_reply'). */
export function resultOf(m: JsonRpcMessage, method: string): unknown {
  if (m.error && typeof m.error === 'object') {
    throw new LoadRequestError('jsonrpc_error', `${method} failed: JSON-RPC error ${m.error.code} "${m.error.message}"`);
  }
  if (!('result' in m)) throw new LoadRequestError('malformed_reply', `the response to ${method} has neither result nor error`);
  return m.result;
}
