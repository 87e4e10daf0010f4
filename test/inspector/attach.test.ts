import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/inspector/agent.js';
import { connectTarget } from '../../src/inspector/connect.js';
import { listeningSockets } from '../../src/inspector/proc.js';
import { MemprofError } from '../../src/util/errors.js';
import { memprof } from '../helpers.js';
import { startTarget, stopAllTargets, TARGET_NODE, waitFor } from './targets.js';

const servers: Array<Server | HttpServer> = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  await stopAllTargets();
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen<S extends Server | HttpServer>(server: S): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.add(s));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  await new Promise((r) => s.close(r));
  return port;
}

async function expectInputError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MemprofError);
  expect((err as MemprofError).exitCode).toBe(2);
  expect((err as Error).message).toMatch(pattern);
}

describe('connectTarget', () => {
  it('attaches by HOST:PORT and reads pid, Node version and command from the target', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    try {
      expect(live.pid).toBe(t.pid);
      expect(live.nodeVersion).toBe(TARGET_NODE === process.execPath ? process.version : live.nodeVersion);
      expect(live.nodeVersion).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(live.command).toContain('idle.cjs');
      expect(live.openedInspector).toBe(false);
      expect(await evaluate(live.session, 'widgets.length')).toBe(100);
    } finally {
      await live.close();
    }
    // memprof did not open this inspector, so it stays open.
    expect((await listeningSockets(t.pid)).map((s) => s.port)).toContain(t.port);
  });

  it('attaches by ws:// URL, and by localhost:PORT', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(t.wsUrl!);
    try {
      expect(live.pid).toBe(t.pid);
    } finally {
      await live.close();
    }
    const byName = await connectTarget(`localhost:${t.port}`);
    expect(byName.pid).toBe(t.pid);
    await byName.close();
  });

  it('attaches by pid with SIGUSR1 and closes the inspector it opened', async () => {
    // --inspect-port=0: SIGUSR1 opens the inspector on a free port, found from /proc.
    const t = await startTarget('idle.cjs', { nodeArgs: ['--inspect-port=0'] });
    expect(await listeningSockets(t.pid)).toEqual([]);
    const live = await connectTarget(`pid:${t.pid}`);
    try {
      expect(live.pid).toBe(t.pid);
      expect(live.openedInspector).toBe(true);
      expect((await listeningSockets(t.pid)).map((s) => s.port)).toEqual([Number(new URL(live.url).port)]);
    } finally {
      await live.close();
    }
    await waitFor(async () => (await listeningSockets(t.pid)).length === 0, 5000, 'the inspector to close');
    expect(t.alive()).toBe(true);
    // Left as found: a second pid attach opens (and closes) it again.
    const again = await connectTarget(`pid:${t.pid}`);
    expect(again.openedInspector).toBe(true);
    await again.close();
    await waitFor(async () => (await listeningSockets(t.pid)).length === 0, 5000, 'the inspector to close again');
  });

  it('pid of a process whose inspector is already open uses it and leaves it open', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(`pid:${t.pid}`);
    expect(live.openedInspector).toBe(false);
    expect(live.pid).toBe(t.pid);
    await live.close();
    expect((await listeningSockets(t.pid)).map((s) => s.port)).toEqual([t.port]);
  });

  it('refuses a non-loopback host without --allow-remote', async () => {
    await expectInputError(connectTarget('10.255.255.1:9229'), /non-loopback host '10\.255\.255\.1'.*--allow-remote/);
    await expectInputError(connectTarget('ws://192.0.2.1:9229/abc'), /non-loopback/);
  });

  it('fails clearly when nothing listens', async () => {
    const port = await closedPort();
    await expectInputError(connectTarget(`127.0.0.1:${port}`), /cannot reach the inspector at 127\.0\.0\.1:\d+: connection refused/);
    await expectInputError(connectTarget(`ws://127.0.0.1:${port}/x`), /connection refused/);
  });

  it('fails clearly when the port is not an inspector', async () => {
    const http = createHttpServer((_req, res) => res.writeHead(404).end('no'));
    const port = await listen(http);
    await expectInputError(connectTarget(`127.0.0.1:${port}`), /is not a V8 inspector \(GET \/json\/list answered HTTP 404/);

    const raw = createServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const rawPort = await listen(raw);
    await expectInputError(connectTarget(`127.0.0.1:${rawPort}`), /cannot reach the inspector.*(not speak HTTP|reset|Parse Error|socket hang up)/);
  });

  it('fails clearly when the WebSocket handshake is refused', async () => {
    const http = createHttpServer((req, res) => {
      const { port } = http.address() as AddressInfo;
      if (req.url === '/json/list') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ type: 'node', webSocketDebuggerUrl: `ws://127.0.0.1:${port}/abc` }]));
      } else res.writeHead(403).end();
    });
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    const port = await listen(http);
    await expectInputError(connectTarget(`127.0.0.1:${port}`), /handshake refused \(HTTP 403\)/);
  });

  it('fails within the timeout when the peer accepts but never answers', async () => {
    const silent = createServer(() => {});
    const port = await listen(silent);
    const started = Date.now();
    await expectInputError(connectTarget(`127.0.0.1:${port}`, { timeoutMs: 1500 }), /no answer within/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('pid:N refuses a process that is not Node, and never signals it', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(sleeper, 'spawn');
    try {
      await expectInputError(connectTarget(`pid:${sleeper.pid}`), /is not a Node\.js process/);
      expect(sleeper.exitCode).toBe(null);
      expect(sleeper.signalCode).toBe(null);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('pid:N fails clearly for a missing pid, an own SIGUSR1 handler, and a taken port', async () => {
    await expectInputError(connectTarget('pid:999999999'), /no process with pid 999999999/);

    const own = await startTarget('own-sigusr1.cjs', { nodeArgs: ['--inspect-port=0'] });
    const started = Date.now();
    await expectInputError(connectTarget(`pid:${own.pid}`), /did not open an inspector after SIGUSR1 \(it has its own SIGUSR1 handler/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(own.alive()).toBe(true);

    const blocker = createServer();
    const taken = await listen(blocker);
    const t = await startTarget('idle.cjs', { nodeArgs: [`--inspect-port=${taken}`] });
    await expectInputError(connectTarget(`pid:${t.pid}`), new RegExp(`port ${taken} is already in use`));
    expect(t.alive()).toBe(true);
  });

  it('detaches at once when the target exits on its own, so it is not kept waiting', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    await evaluate(live.session, 'quit()');
    const [code] = (await once(t.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await live.session.closed;
    expect(live.session.closeReason).toBe('the target process is exiting');
    await expect(evaluate(live.session, '1')).rejects.toThrow(/the target process is exiting/);
    await live.close();
  });

  it('rejects pending commands promptly when the target dies', async () => {
    const t = await startTarget('idle.cjs', { inspect: true });
    const live = await connectTarget(`127.0.0.1:${t.port}`);
    const pending = evaluate(live.session, 'new Promise(() => {})', { awaitPromise: true, timeoutMs: 30_000 });
    const started = Date.now();
    t.child.kill('SIGKILL');
    await expect(pending).rejects.toThrow(/closed/);
    expect(Date.now() - started).toBeLessThan(3000);
    await live.close();
  });
});

/**
 * Wall time of a memprof run minus the CLI's own start-up on this machine right now (a run that
 * fails at once on a malformed --target), so that "within 5 s" measures memprof, not a busy CI.
 */
function timedBeyondStartup(args: string[]): { r: ReturnType<typeof memprof>; ms: number } {
  let started = Date.now();
  memprof(['snapshot', '--target', 'nonsense']);
  const startup = Date.now() - started;
  started = Date.now();
  const r = memprof(args);
  return { r, ms: Date.now() - started - startup };
}

describe('memprof snapshot --target (attach failures)', () => {
  it('exits 2 with one line within 5 s when the target is unreachable', async () => {
    const port = await closedPort();
    const { r, ms } = timedBeyondStartup(['snapshot', '--target', `127.0.0.1:${port}`]);
    expect(ms).toBeLessThan(5000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^memprof: cannot reach the inspector at 127\.0\.0\.1:\d+/);
  });

  it('exits 2 with one line within 5 s for a pid whose own SIGUSR1 handler keeps the inspector shut', async () => {
    const own = await startTarget('own-sigusr1.cjs', { nodeArgs: ['--inspect-port=0'] });
    const { r, ms } = timedBeyondStartup(['snapshot', '--target', `pid:${own.pid}`]);
    expect(ms).toBeLessThan(5000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/did not open an inspector after SIGUSR1/);
    expect(own.alive()).toBe(true);
  });

  it('exits 2 on a malformed --target', () => {
    const r = memprof(['snapshot', '--target', 'nonsense']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid --target 'nonsense': use HOST:PORT/);
  });
});
