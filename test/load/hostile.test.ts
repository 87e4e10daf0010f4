import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';
import type { LoadOptions, LoadSummary } from '../../src/load/types.js';

/**
 * Hostile or broken MCP servers (issue 11, point 4): a tiny node:http server opens sessions
 * properly, then misbehaves on tools/call. Each run must end on time, with the misbehaviour
 * counted by kind in the summary, and memprof's memory bounded.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

type Misbehave = (res: ServerResponse, req: IncomingMessage, call: number) => void;

/** initialize, the initialized notification and DELETE answered as an MCP server does; tools/call by `onCall`. */
async function hostile(onCall: Misbehave, opts: { hangAfter?: number } = {}): Promise<string> {
  let calls = 0;
  let sessions = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      // A server that stops answering: from some call on, nothing is ever answered again.
      if (opts.hangAfter !== undefined && calls >= opts.hangAfter) return;
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const msg = JSON.parse(body) as { id?: number; method: string };
      if (msg.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': `s${++sessions}` });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'hostile', version: '1' } } }));
      }
      if (msg.method === 'notifications/initialized') return void res.writeHead(202).end();
      onCall(res, req, ++calls);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

const HOLD_MS = 800;
const TIMEOUT_MS = 600;

function load(url: string, more: Partial<LoadOptions> = {}): Promise<LoadSummary> {
  return runLoad({
    url,
    ramp: [2],
    msgRate: 5,
    tool: 'echo',
    args: { text: 'x' },
    holdMs: HOLD_MS,
    lifetimeMs: 5000,
    timeoutMs: TIMEOUT_MS,
    concurrency: 4,
    ...more,
  });
}

/** The run ended on time: the hold, one timeout for what was in flight, one for the closes, and slack for a busy machine. */
function expectOnTime(s: LoadSummary): void {
  expect(s.durationMs).toBeLessThan(HOLD_MS + 2 * TIMEOUT_MS + 2500);
}

describe('runLoad against hostile or broken servers', () => {
  it('500s: counted as http_500, the sessions still closed', async () => {
    const s = await load(await hostile((res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error')));
    expect(s.errorsByKind.http_500).toBeGreaterThan(0);
    expect(s).toMatchObject({ requests: 0, requestsFailed: s.errorsByKind.http_500, sessionsOpened: 2, sessionsClosed: 2 });
    expectOnTime(s);
  });

  it('garbage JSON: counted as malformed_reply', async () => {
    const s = await load(await hostile((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":')));
    expect(s.errorsByKind.malformed_reply).toBeGreaterThan(0);
    expect(s.requestsFailed).toBe(s.errorsByKind.malformed_reply);
    expectOnTime(s);
  });

  it('an SSE reply that never ends (the response sent, the stream left open): counted as sse_unended', async () => {
    const s = await load(
      await hostile((res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 0, result: {} })}\n\n`);
      }),
    );
    expect(s.errorsByKind.sse_unended).toBeGreaterThan(0);
    expectOnTime(s);
  });

  it('replies of hundreds of MB: refused at the cap (reply_too_large), declared or streamed, with memprof memory bounded', async () => {
    let sent = 0;
    const url = await hostile((res, _req, call) => {
      if (call % 2 === 1) {
        // Declared: refused from its Content-Length, before a byte of the body is read.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 << 20) });
        res.write('{"jsonrpc":"2.0","id":1,"result":"');
        return;
      }
      // Streamed (chunked, no length): 300 MB offered, written as fast as the client reads.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x61);
      let left = 300;
      const pump = (): void => {
        while (left > 0 && !res.destroyed) {
          left--;
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (left = 0));
      pump();
    });
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const s = await load(url, { maxReplyBytes: 4 << 20 }).finally(() => clearInterval(sampler));
    expect(s.errorsByKind.reply_too_large).toBeGreaterThanOrEqual(2);
    expect(s.maxReplyBytes).toBe(4 << 20);
    expect(sent).toBeGreaterThan(4 << 20); // the streamed replies did go past the cap
    // Bounded: requests in flight (4) x the cap, plus the server's own buffers, far from 300 MB per reply.
    expect(peak - rss0).toBeLessThan(120 << 20);
    expectOnTime(s);
  });

  it('the default cap is 16 MiB', async () => {
    const s = await load(await hostile((res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(17 << 20) }).end()), {
      holdMs: 300,
      msgRate: 20,
    });
    expect(s.maxReplyBytes).toBe(16 << 20);
    expect(s.errorsByKind.reply_too_large).toBeGreaterThan(0);
  });

  it('connections reset mid-body: counted as truncated_reply, never retried', async () => {
    const s = await load(
      await hostile((res, req) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"jsonrpc":"2.0","id":1,"result":{"content":[');
        setTimeout(() => req.socket.resetAndDestroy(), 20);
      }),
    );
    expect(s.errorsByKind.truncated_reply).toBeGreaterThan(0);
    expect(s.errorsByKind.econnreset ?? 0).toBe(0);
    expectOnTime(s);
  });

  it('slow-loris replies (a byte now and then, never done): counted as slow_reply at the timeout', async () => {
    const s = await load(
      await hostile((res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 50);
        res.on('close', () => clearInterval(drip));
      }),
    );
    expect(s.errorsByKind.slow_reply).toBeGreaterThan(0);
    expectOnTime(s);
  });

  it('a server that stops answering: calls counted as timeout, the closes cut at the deadline, the run ends on time', async () => {
    const s = await load(await hostile((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: 0, result: {} })), { hangAfter: 3 }));
    expect(s.errorsByKind.timeout).toBeGreaterThan(0);
    expect(s.sessionsOpened).toBe(2);
    // Its DELETEs are never answered either: not closed, and cut when the run's end came.
    expect(s.sessionsClosed).toBe(0);
    expectOnTime(s);
  });
});
