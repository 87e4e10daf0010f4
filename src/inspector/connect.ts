import { request } from 'node:http';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { inputError, MemprofError } from '../util/errors.js';
import { AGENT_SYMBOL, claimAgent, cleanStaleAgents, evaluate, hasAgent, OPENED_SYMBOL, removeAgent, startHeartbeat, TargetHeldError, watchTargetExit } from './agent.js';
import {
  catchesSigusr1,
  listeningSockets,
  portIsListening,
  processArgv,
  processExe,
  processExists,
  processNodeOptions,
  requestedInspectPort,
  type ListeningSocket,
} from './proc.js';
import { CdpSession, describeSocketError } from './session.js';
import { assertLoopbackAllowed, parseTargetSpec, type TargetSpec } from './target.js';

/** A live Node process memprof is attached to, through one inspector session for the whole run. */
export interface LiveTarget {
  session: CdpSession;
  pid: number;
  nodeVersion: string;
  command: string;
  /** The WebSocket URL of the session. */
  url: string;
  /** True when memprof opened the inspector (pid:N) and will close it again. */
  openedInspector: boolean;
  /**
   * Removes every piece of instrumentation, detaches (each step with a timeout), and closes the
   * inspector if memprof opened it. Safe to call twice and after the target died.
   */
  close(): Promise<void>;
  /** Registers cleanup that must run before the session detaches (e.g. a GC recorder's stop). */
  onClose(fn: () => Promise<void>): void;
}

export interface ConnectOptions {
  allowRemote?: boolean;
  /** Budget for reaching the target (discovery + handshake), default 4000 ms. */
  timeoutMs?: number;
  /**
   * How long the target may take to run its first evaluate once connected, default 15 s: a
   * target busy writing a heap snapshot (e.g. for a memprof that was killed) answers late.
   */
  answerTimeoutMs?: number;
  /**
   * pid:N, when memprof opens the inspector with SIGUSR1: move it at once from the port SIGUSR1
   * binds (9229, the same for every process) to one the OS picks, so the next process of a fleet
   * (cluster workers, PM2 children) can be signalled too.
   */
  anyPort?: boolean;
  /**
   * Attach even when another memprof run is profiling the target (--force). Without it such a
   * target is refused (exit 2): two runs would force GCs and freeze the target under each other.
   */
  force?: boolean;
}

/** One entry of an inspector's `/json/list` (Node lists one `node` target, Chromium its pages, workers...). */
export interface JsonListEntry {
  type?: string;
  webSocketDebuggerUrl?: string;
  url?: string;
  title?: string;
}

/** Attaches to `--target` (HOST:PORT, ws://..., pid:N). Every failure is an input error (exit 2). */
export async function connectTarget(spec: string, opts: ConnectOptions = {}): Promise<LiveTarget> {
  const parsed = parseTargetSpec(spec);
  const timeoutMs = opts.timeoutMs ?? 4000;
  const deadline = Date.now() + timeoutMs;
  const left = (): number => Math.max(250, deadline - Date.now());

  const answerMs = opts.answerTimeoutMs ?? 15_000;
  const force = opts.force ?? false;
  if (parsed.kind === 'pid') return connectPid(parsed.pid, timeoutMs, answerMs, opts.anyPort ?? false, force);

  const addresses = await assertLoopbackAllowed(parsed.host, opts.allowRemote);
  let lastError: unknown;
  // 'localhost' may resolve to ::1 and 127.0.0.1; the inspector listens on one of them.
  for (const address of addresses) {
    try {
      const url = parsed.kind === 'ws' ? withHost(parsed.url, address) : await discoverWebSocketUrl(address, parsed.port, left());
      const session = await CdpSession.connect(url, { timeoutMs: left() });
      return await finishAttach(session, spec, parsed, false, answerMs, force);
    } catch (err) {
      lastError = err;
      if (!(err instanceof MemprofError) || !/connection refused/.test(err.message)) break;
    }
  }
  throw lastError;
}

function withHost(url: string, address: string): string {
  const u = new URL(url);
  u.hostname = isIP(address) === 6 ? `[${address}]` : address;
  return u.toString();
}

/** GET /json/list: the inspector's targets. Unreachable or not an inspector: an input error. */
export async function fetchTargetList(host: string, port: number, timeoutMs: number): Promise<JsonListEntry[]> {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const body = await httpGet(host, port, '/json/list', timeoutMs).catch((err: Error & { code?: string }) => {
    throw inputError(`cannot reach the inspector at ${where}: ${err.code ? describeSocketError(err) : err.message}`);
  });
  let list: JsonListEntry[];
  try {
    list = JSON.parse(body.text);
  } catch {
    list = [];
  }
  if (body.status !== 200 || !Array.isArray(list)) {
    throw inputError(`${where} is not a V8 inspector (GET /json/list answered HTTP ${body.status} without a target list); check the port`);
  }
  return list;
}

/** The WebSocket URL of a listed target, reached the way the user told us to (the inspector reports the address it bound). */
export function reachableUrl(entry: JsonListEntry, host: string, port: number): string {
  const u = new URL(entry.webSocketDebuggerUrl!);
  u.hostname = host.includes(':') ? `[${host}]` : host;
  u.port = String(port);
  return u.toString();
}

/** GET /json/list and pick the Node target. */
export async function discoverWebSocketUrl(host: string, port: number, timeoutMs: number): Promise<string> {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const list = await fetchTargetList(host, port, timeoutMs);
  if (!list.some((e) => e?.type === 'node') && list.some((e) => e?.type === 'page')) {
    throw inputError(`${where} is a browser's remote debugging port, not a Node.js inspector; memprof snapshot --target ${where} --page TEXT takes a page's snapshot`);
  }
  const candidates = list.filter((e) => e && typeof e.webSocketDebuggerUrl === 'string');
  const node = candidates.find((e) => e.type === 'node') ?? candidates[0];
  if (!node) {
    throw inputError(
      list.length
        ? `the inspector at ${where} lists no attachable target (a debugger may already hold it); detach it and retry`
        : `${where} is not a V8 inspector (empty target list); check the port`,
    );
  }
  return reachableUrl(node, host, port);
}

function httpGet(host: string, port: number, path: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, headers: { host: 'localhost' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        // A target list is a few KB; anything huge is not an inspector.
        if (size > 4 * 1024 * 1024) req.destroy(new Error('answer too large for an inspector target list'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms (a server that does not speak HTTP, or a frozen process)`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'HPE_INVALID_CONSTANT' || err.code?.startsWith('HPE_')) reject(new Error('the peer does not speak HTTP (not an inspector)'));
      else reject(err);
    });
    req.end();
  });
}

/**
 * pid:N — finds an inspector the process already has open (and leaves it open), or opens one with
 * SIGUSR1 and closes it again on close().
 */
async function connectPid(pid: number, timeoutMs: number, answerMs: number, anyPort: boolean, force: boolean): Promise<LiveTarget> {
  if (process.platform !== 'linux') {
    throw inputError(`--target pid:N needs Linux's /proc; open the inspector yourself (kill -USR1 ${pid}) and use --target 127.0.0.1:9229`);
  }
  if (!(await processExists(pid))) throw inputError(`no process with pid ${pid} (check the pid, and that memprof runs in the same pid namespace)`);
  const argv = await processArgv(pid);
  const exe = (await processExe(pid)) ?? argv[0] ?? '';
  const name = `pid ${pid} (${exe || 'unknown executable'})`;
  const catches = await catchesSigusr1(pid);
  if (catches === null) throw inputError(`cannot read /proc/${pid}/status; is it your process? (run memprof as the same user)`);
  if (!/node/i.test(exe.split('/').pop() ?? '') && !/node/i.test(argv[0]?.split('/').pop() ?? '')) {
    throw inputError(`${name} is not a Node.js process; memprof attaches to Node only (open its inspector yourself and use --target HOST:PORT if it embeds V8)`);
  }

  const before = await listeningSockets(pid);
  const existing = await findInspectorAmong(before, timeoutMs);
  if (existing) {
    const session = await CdpSession.connect(existing, { timeoutMs });
    // A memprof run that was killed may have opened this inspector; if so, close it like that run would have.
    const opened = await evaluate<boolean>(session, `globalThis[Symbol.for(${JSON.stringify(OPENED_SYMBOL)})] === true`, { timeoutMs: answerMs }).catch(() => false);
    return finishAttach(session, `pid:${pid}`, { kind: 'pid', pid }, opened, answerMs, force);
  }

  if (!catches) {
    // SIGUSR1's default action is to terminate: never send it to a process that does not catch it.
    throw inputError(`${name} does not handle SIGUSR1 (started with --disable-sigusr1, or not a Node.js process); start it with --inspect and use --target HOST:PORT`);
  }
  const wanted = requestedInspectPort(nodeOptionArgs(argv).concat((await processNodeOptions(pid)).split(/\s+/).filter(Boolean))) ?? {
    host: '127.0.0.1',
    port: 9229,
  };
  // Checked before signalling: the inspector would fail to bind and say so only on the target's stderr.
  if (wanted.port !== 0 && (await portIsListening(wanted.port))) {
    throw inputError(
      `${name} cannot open its inspector: port ${wanted.port} is already in use by another process; free it, or start the target with --inspect-port=PORT (0 for any)`,
    );
  }
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(code === 'EPERM' ? `not allowed to signal ${name}; run memprof as the same user` : `cannot signal ${name}: ${code}`);
  }

  // Node opens the inspector from its own thread, without the main thread: fast even when busy.
  const deadline = Date.now() + Math.min(timeoutMs, 2000);
  const known = new Set(before.map((s) => s.inode));
  while (Date.now() < deadline) {
    await sleep(50);
    if (!(await processExists(pid))) throw inputError(`${name} exited after SIGUSR1; it was not able to open an inspector`);
    const fresh = (await listeningSockets(pid)).filter((s) => !known.has(s.inode));
    if (fresh.length === 0) continue;
    const url = await findInspectorAmong(fresh, Math.max(500, deadline - Date.now()));
    if (!url) continue;
    let session = await CdpSession.connect(url, { timeoutMs });
    try {
      await evaluate(session, `Object.defineProperty(globalThis, Symbol.for(${JSON.stringify(OPENED_SYMBOL)}), { value: true, configurable: true, enumerable: false }); true`);
      if (anyPort) session = await moveToAnyPort(session, pid, timeoutMs);
    } catch (err) {
      await closeInspector(session).catch(() => {});
      session.terminate();
      throw err;
    }
    return finishAttach(session, `pid:${pid}`, { kind: 'pid', pid }, true, answerMs, force);
  }
  if (wanted.port !== 0 && (await portIsListening(wanted.port))) {
    throw inputError(`${name} could not open its inspector: port ${wanted.port} was taken meanwhile; retry, or start the target with --inspect-port=0`);
  }
  throw inputError(
    `${name} did not open an inspector after SIGUSR1 (it has its own SIGUSR1 handler, or was built without the inspector); start it with --inspect and use --target HOST:PORT`,
  );
}

/**
 * Reopens the inspector memprof just opened on a port the OS picks (still 127.0.0.1) and connects
 * there: the target closes the first one, and with it this session, before it opens the second.
 */
async function moveToAnyPort(session: CdpSession, pid: number, timeoutMs: number): Promise<CdpSession> {
  const before = new Set((await listeningSockets(pid)).map((s) => s.inode));
  await evaluate(session, `(() => { const i = require('inspector'); setImmediate(() => { i.close(); i.open(0, '127.0.0.1'); }); return true; })()`, {
    commandLineApi: true,
    timeoutMs: 3000,
  });
  await withTimeout(session.closed, 3000);
  const deadline = Date.now() + Math.max(timeoutMs, 2000);
  while (Date.now() < deadline) {
    await sleep(50);
    const fresh = (await listeningSockets(pid)).filter((s) => !before.has(s.inode));
    const url = fresh.length ? await findInspectorAmong(fresh, Math.max(500, deadline - Date.now())) : null;
    if (url) return CdpSession.connect(url, { timeoutMs });
  }
  throw inputError(`pid ${pid} did not reopen its inspector on another port; start it with --inspect=127.0.0.1:0 and use --target HOST:PORT`);
}

/** Node options precede the script: stop at the first argument that is not an option or its value. */
function nodeOptionArgs(argv: string[]): string[] {
  const out: string[] = [];
  const takesValue = /^(-r|--require|--import|--loader|--experimental-loader|-e|--eval|-p|--print|--inspect-port|--debug-port|--title|--conditions|-C)$/;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-' || a === '--') break;
    out.push(a);
    if (takesValue.test(a) && i + 1 < argv.length) out.push(argv[++i]);
  }
  return out;
}

/** Probes the process's listening sockets for an inspector whose target list answers. */
async function findInspectorAmong(sockets: ListeningSocket[], timeoutMs: number): Promise<string | null> {
  for (const s of sockets) {
    const host = s.address === '0.0.0.0' ? '127.0.0.1' : s.address === '::' ? '::1' : s.address;
    try {
      const url = await discoverWebSocketUrl(host, s.port, Math.min(timeoutMs, 1500));
      return url;
    } catch {
      // one of the process's own servers (HTTP, MCP...): not the inspector
    }
  }
  return null;
}

async function finishAttach(session: CdpSession, spec: string, parsed: TargetSpec, openedInspector: boolean, answerMs: number, force: boolean): Promise<LiveTarget> {
  let info: { pid: number; version: string; argv: string[]; execArgv: string[]; argv0: string } | undefined;
  try {
    // A target started with --inspect-wait/--inspect-brk waits for a debugger before running any
    // code (evaluate answers empty until then): let it run, never leave it waiting.
    await session.send('Runtime.runIfWaitingForDebugger', {}, { timeoutMs: answerMs });
    const deadline = Date.now() + answerMs;
    let resumed = false;
    for (;;) {
      info = await evaluate(session, `({ pid: process.pid, version: process.version, argv: process.argv, execArgv: process.execArgv, argv0: process.argv0 })`, {
        timeoutMs: Math.max(1000, deadline - Date.now()),
      });
      if (info !== undefined || Date.now() > deadline) break;
      // --inspect-brk: paused on the first line of user code. Resume it; memprof never pauses targets.
      if (!resumed) {
        resumed = true;
        await session.send('Debugger.enable', {}, { timeoutMs: answerMs }).catch(() => {});
        await session.send('Debugger.resume', {}, { timeoutMs: answerMs }).catch(() => {});
        await session.send('Debugger.disable', {}, { timeoutMs: answerMs }).catch(() => {});
      }
      await sleep(100);
    }
  } catch (err) {
    session.terminate();
    if (session.closeReason && session.closeReason !== 'closed by memprof') {
      throw inputError(`lost ${spec} while attaching: ${session.closeReason}`);
    }
    if (err instanceof MemprofError) {
      throw inputError(`attached to ${spec} but the target did not run any code within ${answerMs / 1000} s: it is paused in a debugger or frozen (a heap snapshot in progress?); retry later`);
    }
    throw inputError(`${spec} is not a Node.js target (evaluating process.pid failed: ${(err as Error).message})`);
  }
  if (!info || typeof info.pid !== 'number') {
    session.terminate();
    throw inputError(`${spec} is not a Node.js target (no process object); memprof profiles Node.js only`);
  }
  if (parsed.kind === 'pid' && info.pid !== parsed.pid) {
    // The port belonged to another Node process (e.g. a child): never profile the wrong one.
    if (openedInspector) await closeInspector(session).catch(() => {});
    session.terminate();
    throw inputError(`the inspector found for pid ${parsed.pid} belongs to pid ${info.pid}; use --target HOST:PORT`);
  }
  await cleanStaleAgents(session).catch(() => 0);
  // Detach at once when the target exits, or it would wait for memprof forever. A target that was
  // just released from --inspect-wait may still be bootstrapping its modules: retry briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      await claimAgent(session, { force });
      await watchTargetExit(session, () => session.terminate('the target process is exiting'));
      break;
    } catch (err) {
      if (err instanceof TargetHeldError) {
        if (openedInspector) await closeInspector(session).catch(() => {});
        session.terminate();
        throw inputError(heldMessage(info.pid, err));
      }
      if (attempt >= 5 || !session.isOpen) {
        if (session.isOpen) await removeAgent(session).catch(() => {});
        if (session.isOpen && openedInspector) await closeInspector(session).catch(() => {});
        session.terminate();
        throw inputError(`attached to ${spec} but could not set up memprof's probes in it: ${(err as Error).message}`);
      }
      await sleep(200);
    }
  }

  const stopHeartbeat = startHeartbeat(session);
  void session.closed.then(stopHeartbeat);
  const cleanups: Array<() => Promise<void>> = [];
  let closing: Promise<void> | null = null;
  const target: LiveTarget = {
    session,
    pid: info.pid,
    nodeVersion: info.version,
    command: [info.argv0 || 'node', ...info.execArgv, ...info.argv.slice(1)].join(' '),
    url: session.url,
    openedInspector,
    onClose(fn) {
      cleanups.push(fn);
    },
    close() {
      closing ??= (async () => {
        stopHeartbeat();
        if (session.isAwaiting('HeapProfiler.takeHeapSnapshot')) {
          // The target is frozen writing a snapshot (an interrupted run): nothing can be removed
          // before it finishes. Detach now; the next run cleans the entry up as stale and, for
          // pid:N, closes the inspector this run opened (it is marked in the target).
          session.terminate('closed by memprof');
          await session.closed;
          return;
        }
        for (const fn of cleanups.reverse()) await withTimeout(fn(), 3000).catch(() => {});
        if (session.isOpen && hasAgent(session)) await withTimeout(removeAgent(session), 3000).catch(() => {});
        if (session.isOpen && openedInspector) await closeInspector(session).catch(() => {});
        await session.close(2000);
      })();
      return closing;
    },
  };
  return target;
}

/** One line: who holds the target and since when, and what to do. */
function heldMessage(pid: number, err: TargetHeldError): string {
  const { pid: by, since } = err.holder;
  const when = since === null ? '' : ` since ${new Date(since).toISOString().replace(/\.\d+Z$/, 'Z')}`;
  return `pid ${pid} is already being profiled by another memprof (pid ${by ?? 'unknown'}${when}); wait for it to finish, or pass --force to attach alongside it`;
}

/**
 * Closes the inspector server of the target (it was opened by memprof). The target drops every
 * connection at once, so the answer to this evaluate is the socket closing.
 */
async function closeInspector(session: CdpSession): Promise<void> {
  const closing = await evaluate<boolean>(
    session,
    // Another memprof run still attached (--force) keeps the inspector open: the last one closes it.
    `(() => {
      const reg = globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})];
      if (reg && reg.runs && reg.runs.size > 0) return false;
      delete globalThis[Symbol.for(${JSON.stringify(OPENED_SYMBOL)})];
      const inspector = require('inspector');
      setImmediate(() => inspector.close());
      return true;
    })()`,
    { commandLineApi: true, timeoutMs: 3000 },
  ).catch(() => true);
  if (closing) await withTimeout(session.closed, 3000).catch(() => {});
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
