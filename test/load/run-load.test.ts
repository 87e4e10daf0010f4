import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';
import type { LoadOptions, LoadStep } from '../../src/load/types.js';
import { startFixture, type FixtureStatus, type RunningFixture } from '../fixtures/fixture-process.js';

const running: RunningFixture[] = [];
const servers: Array<Server | TcpServer> = [];
async function fixture(mode = 'clean', env: Record<string, string> = {}): Promise<RunningFixture> {
  const f = await startFixture(mode, env);
  running.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function opts(url: string, more: Partial<LoadOptions> = {}): LoadOptions {
  return { url, ramp: [], msgRate: 0, lifetimeMs: 5000, ...more };
}

/** A real HTTP server on a random loopback port answering every request with `handler`. */
async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('runLoad against the fixture server', () => {
  it('opens sessions up to each step (the server agrees at each step) and closes them all', async () => {
    const f = await fixture();
    const seen: Array<{ step: LoadStep; server: FixtureStatus }> = [];
    const summary = await runLoad(opts(f.url, { ramp: [5, 20], rate: 200 }), {
      onStep: async (step) => {
        seen.push({ step, server: await f.status() });
      },
    });
    expect(seen.map((s) => [s.step.connections, s.server.sessions])).toEqual([
      [5, 5],
      [20, 20],
    ]);
    expect(summary).toMatchObject({ sessionsOpened: 20, sessionsClosed: 20, sessionsFailed: 0, errors: 0, peakOpen: 20, interrupted: false });
    expect(summary.requests).toBe(0);
    expect(summary.msgPerSec).toBeNull();
    expect(summary.latencyMs.p50).toBeNull();
    expect(summary.initializeLatencyMs.p50).toBeGreaterThan(0);
    expect(summary.connectPerSec).toBeGreaterThan(0);
    const after = await f.status();
    // Per session: initialize and the initialized notification only, no tools/list.
    expect(after).toMatchObject({ sessions: 0, sessionsOpened: 20, sessionsClosed: 20, toolCalls: 0 });
  });

  it('sends tool calls at --msg-rate, and every one it counts reached the server', async () => {
    const f = await fixture();
    let server: FixtureStatus | undefined;
    const callsDuringStep: number[] = [];
    const summary = await runLoad(opts(f.url, { ramp: [5, 10], rate: 10, msgRate: 10, holdMs: 1000 }), {
      // The load stands still while a hook runs: no tool call reaches the server meanwhile.
      onStep: async () => {
        callsDuringStep.push((await f.status()).toolCalls);
        await new Promise((r) => setTimeout(r, 300));
        callsDuringStep.push((await f.status()).toolCalls);
      },
      onHoldEnd: async () => {
        server = await f.status();
      },
    });
    expect(callsDuringStep[2]).toBeGreaterThan(callsDuringStep[1]);
    expect(callsDuringStep[1]).toBe(callsDuringStep[0]);
    expect(callsDuringStep[3]).toBe(callsDuringStep[2]);
    expect(summary.tool).toBe('echo');
    expect(summary.requests).toBeGreaterThan(20);
    expect(summary.requestsFailed).toBe(0);
    expect((await f.status()).toolCalls).toBe(summary.requests);
    expect(server!.sessions).toBe(10);
    expect(summary.msgPerSec).toBeGreaterThan(0);
    expect(summary.latencyMs.p50).toBeGreaterThan(0);
    expect(summary.latencyMs.max).toBeGreaterThanOrEqual(summary.latencyMs.p99!);
  });

  it('parses plain JSON replies too, and calls the named tool with arguments from its schema', async () => {
    const f = await fixture('clean', { JSON_RESPONSE: '1' });
    const summary = await runLoad(opts(f.url, { ramp: [3], msgRate: 20, holdMs: 300, tool: 'add' }));
    expect(summary.tool).toBe('add');
    expect(summary.errors).toBe(0);
    expect(summary.requests).toBeGreaterThan(0);
    expect((await f.status()).toolCalls).toBe(summary.requests);
  });

  it('refuses a tool the server does not list', async () => {
    const f = await fixture();
    await expect(runLoad(opts(f.url, { ramp: [2], msgRate: 1, tool: 'nope' }))).rejects.toThrow(
      /tool 'nope' not found at .*; it lists: echo, add/,
    );
    expect((await f.status()).sessions).toBe(0);
  });

  it('opens one GET SSE stream per session with sse', async () => {
    const f = await fixture();
    let atStep: FixtureStatus | undefined;
    const summary = await runLoad(opts(f.url, { ramp: [8], sse: true }), {
      onStep: async () => {
        atStep = await f.status();
      },
    });
    expect(atStep).toMatchObject({ sessions: 8, sseStreams: 8 });
    expect(summary.sseStreams).toBe(8);
    expect(summary.errors).toBe(0);
    const after = await f.status();
    expect(after).toMatchObject({ sessions: 0, sseStreams: 0 });
  });

  it('churns during the hold: closes sessions after their lifetime and keeps the count', async () => {
    const f = await fixture();
    const summary = await runLoad(opts(f.url, { ramp: [6], holdMs: 1500, churn: true, lifetimeMs: 300 }));
    // Each of the 6 slots turns over about every 300 ms for 1.5 s.
    expect(summary.sessionsOpened).toBeGreaterThan(8);
    expect(summary.sessionsClosed).toBe(summary.sessionsOpened);
    expect(summary.peakOpen).toBe(6);
    expect(summary.errors).toBe(0);
    expect(await f.status()).toMatchObject({ sessions: 0, sessionsOpened: summary.sessionsOpened });
  });

  it('churn breaks before it makes: the server never holds more than the step (a pool high-water mark stays at the step)', async () => {
    const f = await fixture('pooled');
    const summary = await runLoad(opts(f.url, { ramp: [8], holdMs: 2000, churn: true, churnRate: 40, msgRate: 20 }));
    expect(summary.sessionsOpened).toBeGreaterThan(8 + 20);
    expect(summary.errors).toBe(0);
    const status = await f.status();
    // The pool counts the sessions the server held at once, whatever the client's own count said.
    expect(status.pools['session-state']).toMatchObject({ inUse: 0, peakInUse: 8 });
  });

  it('churns at --churn-rate: closes the oldest sessions at that rate and replaces them', async () => {
    const f = await fixture();
    const summary = await runLoad(opts(f.url, { ramp: [5], holdMs: 1000, churn: true, churnRate: 20 }));
    // About 20 replacements in 1 s; never more than the rate allows over the whole run.
    expect(summary.sessionsOpened).toBeGreaterThan(5 + 3);
    expect(summary.sessionsOpened).toBeLessThanOrEqual(5 + Math.ceil((20 * summary.durationMs) / 1000) + 2);
    expect(summary.sessionsClosed).toBe(summary.sessionsOpened);
    expect(summary.peakOpen).toBe(5);
    expect((await f.status()).sessions).toBe(0);
  });

  it('bursts on top of the base, then closes the burst sessions (those answered late too) and counts them apart', async () => {
    const f = await fixture();
    let duringHold = -1;
    let afterBurst = -1;
    const summary = await runLoad(opts(f.url, { ramp: [4], burst: { rate: 40, durationMs: 500 }, holdMs: 800 }), {
      onHoldStart: (n) => {
        duringHold = n;
      },
      duringHold: async (control) => {
        await new Promise((r) => setTimeout(r, 600));
        // Still: every open sent during the burst has been answered, and closed, by now.
        await control.still(async () => {
          afterBurst = (await f.status()).sessions;
        });
      },
    });
    expect(duringHold).toBe(4);
    expect(afterBurst).toBe(4);
    expect(summary.peakOpen).toBeGreaterThan(4);
    expect(summary.sessionsClosed).toBe(summary.sessionsOpened);
    const burst = summary.burst!;
    expect(burst.opened).toBe(summary.sessionsOpened - 4);
    expect(burst.closed).toBe(burst.opened);
    expect(burst.endT! - burst.startT).toBeGreaterThanOrEqual(490);
    expect((await f.status()).sessions).toBe(0);
  });

  it('on abort stops opening and closes everything it opened', async () => {
    const f = await fixture();
    const controller = new AbortController();
    const summary = await runLoad(opts(f.url, { ramp: [10], holdMs: 60_000, msgRate: 5, signal: controller.signal }), {
      onHoldStart: () => {
        setTimeout(() => controller.abort(), 200);
      },
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.sessionsOpened).toBe(10);
    expect(summary.sessionsClosed).toBe(10);
    expect(summary.durationMs).toBeLessThan(30_000);
    expect((await f.status()).sessions).toBe(0);
  });

  it('on abort during the ramp closes what it opened, including opens still in flight', async () => {
    const f = await fixture();
    const controller = new AbortController();
    const stepsSeen: number[] = [];
    setTimeout(() => controller.abort(), 400);
    const summary = await runLoad(opts(f.url, { ramp: [1000], rate: 40, signal: controller.signal }), {
      onStep: (s) => {
        stepsSeen.push(s.connections);
      },
    });
    expect(summary.interrupted).toBe(true);
    expect(stepsSeen).toEqual([]);
    expect(summary.sessionsOpened).toBeGreaterThan(0);
    expect(summary.sessionsOpened).toBeLessThan(1000);
    expect(summary.sessionsClosed).toBe(summary.sessionsOpened);
    const after = await f.status();
    expect(after.sessions).toBe(0);
    expect(after.sessionsOpened).toBe(summary.sessionsOpened);
  });

  it('counts rejected opens as errors when some sessions work, and says a step fell short', async () => {
    const f = await fixture('clean', { MAX_SESSIONS: '5' });
    const warnings: string[] = [];
    const summary = await runLoad(opts(f.url, { ramp: [10] }), { onWarning: (w) => warnings.push(w) });
    expect(summary.sessionsOpened).toBe(5);
    expect(summary.steps).toEqual([expect.objectContaining({ target: 10, connections: 5 })]);
    expect(summary.errorsByKind.http_503).toBeGreaterThan(0);
    expect(summary.sessionsFailed).toBe(summary.errorsByKind.http_503);
    expect(warnings.join('\n')).toMatch(/step 1: 5 of 10 sessions open after \d+ failed opens \(http_503/);
    expect(await f.status()).toMatchObject({ sessions: 0, sessionsClosed: 5 });
  });

  it('retries a request reset on a reused keep-alive socket, and counts it', async () => {
    const f = await fixture();
    const upstream = new URL(f.url);
    // A proxy that resets every connection when the second request arrives on it, before it
    // reaches the server: exactly the race of a server closing an idle keep-alive socket.
    const proxy = createTcpServer((client) => {
      let requests = 0;
      const server = tcpConnect(Number(upstream.port), upstream.hostname);
      client.on('data', (chunk) => {
        if (/^(POST|GET|DELETE) /.test(chunk.toString('latin1', 0, 8)) && ++requests === 2) {
          client.resetAndDestroy();
          server.destroy();
          return;
        }
        server.write(chunk);
      });
      server.on('data', (chunk) => client.write(chunk));
      server.on('error', () => client.destroy());
      client.on('error', () => server.destroy());
      server.on('close', () => client.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`;
    const summary = await runLoad(opts(url, { ramp: [3], concurrency: 1 }));
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary).toMatchObject({ sessionsOpened: 3, sessionsClosed: 3, errors: 0 });
    expect((await f.status()).sessions).toBe(0);
  });
});

describe('runLoad on bad input', () => {
  it('an unreachable URL is one clear error', async () => {
    const url = await httpServer(() => undefined);
    const port = new URL(url).port;
    await new Promise((r) => servers.pop()!.close(r));
    await expect(runLoad(opts(url))).rejects.toThrow(
      new RegExp(`^cannot open an MCP session at http://127.0.0.1:${port}/mcp: connection refused \\(is the server running`),
    );
  });

  it('a non-MCP endpoint is one clear error', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await expect(runLoad(opts(url))).rejects.toThrow(/reply is text\/html \(HTTP 200\), not JSON or an SSE stream \(is this an MCP/);
  });

  it('a server rejecting initialize is one clear error', async () => {
    const f = await fixture('clean', { MAX_SESSIONS: '0' });
    await expect(runLoad(opts(f.url, { ramp: [5] }))).rejects.toThrow(/HTTP 503 "too many sessions \(MAX_SESSIONS=0\)".*retry when it has capacity/);
  });

  it('malformed JSON-RPC replies are one clear error', async () => {
    const garbage = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'abc' });
      res.end('{"jsonrpc": "2.0", "id": 1, "resu');
    });
    await expect(runLoad(opts(garbage))).rejects.toThrow(/cannot open an MCP session at .*: reply is not valid JSON/);
    const wrongShape = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('event: message\ndata: {"jsonrpc":"2.0","id":99,"result":{}}\n\n');
    });
    await expect(runLoad(opts(wrongShape))).rejects.toThrow(/reply holds no JSON-RPC response with id 1/);
  });

  it('a server that does not speak HTTP is one clear error, without waiting for the timeout', async () => {
    const tcp = createTcpServer((socket) => {
      socket.resume(); // read what the client sends, so its close is seen
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    servers.push(tcp);
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/mcp`;
    await expect(runLoad(opts(url, { timeoutMs: 20_000 }))).rejects.toThrow(/not an HTTP\/1.1 reply: "SSH-2.0-OpenSSH/);
  });

  it('an invalid URL is one clear error', async () => {
    await expect(runLoad(opts('ftp://example.com/mcp'))).rejects.toThrow(/only http:\/\/ and https:\/\//);
    await expect(runLoad(opts('not a url'))).rejects.toThrow(/invalid --mcp URL 'not a url'/);
  });
});
