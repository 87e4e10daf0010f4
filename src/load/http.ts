import http from 'node:http';
import https from 'node:https';
import { LoadRequestError, type HttpReply } from './jsonrpc.js';

/**
 * Raw Streamable HTTP transport of the load generator: POST/DELETE over a keep-alive agent, and
 * GET SSE streams over their own sockets. No SDK Client per session: a session here is a session
 * id string, and a request costs one http.request, so the client stays far cheaper than the server
 * it measures.
 */
export interface McpHttpOptions {
  /** Sockets kept for POST/DELETE (requests beyond it queue in the agent). */
  maxSockets: number;
  /** Source addresses for the sockets (each is its own ~28K ephemeral-port space per destination). */
  localAddresses: string[];
  timeoutMs: number;
  /** Extra headers for every request (e.g. Authorization). */
  headers: Record<string, string>;
}

export interface SseStream {
  /** Stops reading and releases the socket. */
  close(): void;
  /** True once the server ended the stream or it failed. */
  readonly ended: boolean;
}

const ACCEPT_BOTH = 'application/json, text/event-stream';

export class McpHttp {
  /** Connection resets on reused keep-alive sockets that were retried. */
  retries = 0;
  private readonly mod: typeof http | typeof https;
  private readonly postAgents: http.Agent[];
  private readonly streamAgents: http.Agent[];
  private nextPostAgent = 0;
  private nextStreamAgent = 0;
  private readonly base: http.RequestOptions;

  constructor(
    readonly url: URL,
    private readonly opts: McpHttpOptions,
  ) {
    this.mod = url.protocol === 'https:' ? https : http;
    const Agent = this.mod.Agent;
    const addresses: Array<string | undefined> = opts.localAddresses.length > 0 ? opts.localAddresses : [undefined];
    const perAgent = Math.max(1, Math.ceil(opts.maxSockets / addresses.length));
    this.postAgents = addresses.map(
      (localAddress) => new Agent({ keepAlive: true, maxSockets: perAgent, maxFreeSockets: perAgent, scheduling: 'lifo', localAddress }),
    );
    // One socket per stream for its whole life: pooling would only add bookkeeping.
    this.streamAgents = addresses.map((localAddress) => new Agent({ keepAlive: false, maxSockets: Infinity, localAddress }));
    this.base = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: url.pathname + url.search,
    };
  }

  post(body: string, sessionId?: string, protocolVersion?: string): Promise<HttpReply> {
    const headers: Record<string, string> = {
      ...this.opts.headers,
      accept: ACCEPT_BOTH,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (sessionId) headers['mcp-session-id'] = sessionId;
    if (protocolVersion) headers['mcp-protocol-version'] = protocolVersion;
    return this.send('POST', headers, body, false);
  }

  delete(sessionId: string, protocolVersion: string): Promise<HttpReply> {
    return this.send('DELETE', { ...this.opts.headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion }, undefined, false);
  }

  private pickPostAgent(): http.Agent {
    const a = this.postAgents[this.nextPostAgent];
    this.nextPostAgent = (this.nextPostAgent + 1) % this.postAgents.length;
    return a;
  }

  private send(method: string, headers: Record<string, string>, body: string | undefined, retried: boolean): Promise<HttpReply> {
    return new Promise<HttpReply>((resolve, reject) => {
      const req = this.mod.request({ ...this.base, method, headers, agent: this.pickPostAgent() });
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy(new LoadRequestError('timeout', `${method} got no reply within ${this.opts.timeoutMs} ms`));
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const sid = res.headers['mcp-session-id'];
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            sessionId: typeof sid === 'string' ? sid : undefined,
            body: text,
          });
        });
        res.on('error', (err) => reject(classifyNetworkError(err, this.url)));
      });
      req.on('error', (err) => {
        // The server may close an idle keep-alive socket just as we reuse it; the request never
        // reached it, so sending it again once is safe (Node's documented pattern).
        if (!retried && req.reusedSocket && isResetOnReuse(err)) {
          this.retries++;
          this.send(method, headers, body, true).then(resolve, reject);
          return;
        }
        reject(classifyNetworkError(err, this.url));
      });
      req.end(body);
    });
  }

  /** Opens the session's GET SSE stream; resolves once the server answered 200 text/event-stream. */
  openStream(sessionId: string, protocolVersion: string, onEnd: () => void): Promise<SseStream> {
    const agent = this.streamAgents[this.nextStreamAgent];
    this.nextStreamAgent = (this.nextStreamAgent + 1) % this.streamAgents.length;
    return new Promise<SseStream>((resolve, reject) => {
      let ended = false;
      let settled = false;
      const end = () => {
        if (ended) return;
        ended = true;
        if (settled) onEnd();
      };
      const req = this.mod.request({
        ...this.base,
        method: 'GET',
        agent,
        headers: { ...this.opts.headers, accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion },
      });
      req.setTimeout(this.opts.timeoutMs, () => {
        if (!settled) req.destroy(new LoadRequestError('timeout', `GET stream got no reply within ${this.opts.timeoutMs} ms`));
      });
      req.on('response', (res) => {
        const type = res.headers['content-type'] ?? '';
        if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
          settled = true;
          res.resume();
          req.destroy();
          reject(new LoadRequestError(`http_${res.statusCode}`, `GET stream refused: HTTP ${res.statusCode} ${type}`));
          return;
        }
        // An open stream is idle by design: no timeout from here on.
        req.setTimeout(0);
        res.resume();
        res.on('end', end);
        res.on('error', end);
        res.on('close', end);
        settled = true;
        resolve({
          close: () => {
            ended = true;
            req.destroy();
          },
          get ended() {
            return ended;
          },
        });
      });
      req.on('error', (err) => {
        if (!settled) {
          settled = true;
          reject(classifyNetworkError(err, this.url));
        } else end();
      });
      req.end();
    });
  }

  destroy(): void {
    for (const a of this.postAgents) a.destroy();
    for (const a of this.streamAgents) a.destroy();
  }
}

function isResetOnReuse(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up';
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'no free local port (ephemeral ports exhausted for this source address)',
  EMFILE: 'too many open files (ulimit -n)',
};

export function classifyNetworkError(err: unknown, url: URL): LoadRequestError {
  if (err instanceof LoadRequestError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) {
    return new LoadRequestError('not_mcp', `${url.host} does not speak HTTP/1.1 (${code})`);
  }
  if (e?.message === 'socket hang up') return new LoadRequestError('econnreset', `connection closed by ${url.host} before a reply`);
  const what = NETWORK_MESSAGES[code];
  if (what) return new LoadRequestError(code.toLowerCase(), what);
  return new LoadRequestError(code ? code.toLowerCase() : 'network', e?.message ?? String(err));
}
