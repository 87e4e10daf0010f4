import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CdpError, type CdpSession } from './session.js';

/**
 * memprof's footprint inside the target: one registry object under a hidden global symbol, holding
 * per-run entries (modules grabbed while `require` was reachable, GC observers, forced-GC windows).
 * Everything memprof installs is reachable from here, so it can all be removed on detach — and
 * left-overs of a run that was killed can be found and removed by the next one.
 */
export const AGENT_SYMBOL = 'memprof.agent';
/** Marks that a memprof run opened the inspector with SIGUSR1, so a later run closes it again. */
export const OPENED_SYMBOL = 'memprof.inspectorOpenedBy';
/** Prefix of the Runtime.addBinding names memprof creates (a global function each). */
export const BINDING_PREFIX = '__memprof_';
/**
 * A run refreshes its entry's heartbeat every HEARTBEAT_MS (and with every sample). An entry
 * silent for longer than STALE_AFTER_MS belongs to a run that died: the entry's own watch removes
 * it in the target (a dead man's switch, so a crashed memprof leaves the target as it found it),
 * and an attaching run treats it as gone rather than as a profiler holding the target.
 */
export const STALE_AFTER_MS = 8_000;
export const HEARTBEAT_MS = 1_000;
/** How often the entry's watch in the target looks at the heartbeat. */
const WATCH_MS = 1_000;

/** The memprof run that holds a target, as its agent entry says. */
export interface AgentHolder {
  /** memprof's pid (null: an older memprof that did not say). */
  pid: number | null;
  /** ms since the epoch, when it attached. */
  since: number | null;
}

/** Another memprof run is profiling the target (its heartbeat is fresh): the caller refuses or, with force, goes on. */
export class TargetHeldError extends Error {
  constructor(readonly holder: AgentHolder) {
    super(`held by memprof pid ${holder.pid ?? 'unknown'}`);
    this.name = 'TargetHeldError';
  }
}

const sessions = new WeakMap<CdpSession, Promise<string>>();
/** With force: the other memprof run that was profiling the target when this one attached. */
const sharedWith = new WeakMap<CdpSession, AgentHolder>();

/** The memprof run this session attached alongside (with force), if any. */
export function attachedAlongside(session: CdpSession): AgentHolder | null {
  return sharedWith.get(session) ?? null;
}

/**
 * The agent's sampler, compiled once in the target (an expression compiled per sample leaves a
 * little of itself in the heap each time: a measuring instrument must not grow what it measures).
 * With `forceGc`, a full mark-compact runs and the heap is read in the same synchronous call, so
 * nothing (not even the inspector's own message handling) allocates between the GC and the
 * reading. The GC function comes from V8's --expose-gc in a fresh vm context, the flag switched off
 * again at once (unless the target had it already); where that is refused, the caller falls back to
 * HeapProfiler.collectGarbage. The GC runs inside a forced window, so the GC observer marks it forced.
 */
const SAMPLE_FUNCTION = `function (forceGc) {
  const a = this;
  let gcMs = null;
  if (forceGc) {
    if (!a.gc) {
      if (typeof globalThis.gc === 'function') a.gc = globalThis.gc;
      else {
        a.v8.setFlagsFromString('--expose-gc');
        try { a.gc = a.vm.runInNewContext('gc'); } finally { a.v8.setFlagsFromString('--no-expose-gc'); }
      }
      if (typeof a.gc !== 'function') { a.gc = null; return null; }
    }
    const w = [a.perf.performance.now(), Infinity];
    a.forced.push(w);
    if (a.forced.length > 16) a.forced.shift();
    a.gc();
    w[1] = a.perf.performance.now();
    gcMs = w[1] - w[0];
  }
  const m = process.memoryUsage();
  a.seen = Date.now();
  const spaces = a.v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, available: s.space_available_size }));
  const out = { t: a.seen, heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, spaces };
  if (gcMs !== null) {
    // V8 walks the whole old generation to count code: only where a fit needs it (after a forced GC).
    const c = a.v8.getHeapCodeStatistics();
    out.code = { code: c.code_and_metadata_size, bytecode: c.bytecode_and_metadata_size };
    out.gcMs = gcMs;
  }
  return out;
}`;

/**
 * Removes one run's entry from inside the target: its watch, GC observers, exit listener and
 * bindings; the registry when it was the last run; and, when the entry expired (memprof's
 * heartbeat stopped) and memprof opened the inspector by SIGUSR1, the inspector too.
 */
const UNINSTALL_FUNCTION = `function (why) {
  const a = this;
  clearInterval(a.watch);
  for (const o of a.observers) { try { o.disconnect(); } catch {} }
  if (a.exitListener) process.off('exit', a.exitListener);
  for (const b of a.bindings) delete globalThis[b];
  const key = Symbol.for(${JSON.stringify(AGENT_SYMBOL)});
  const reg = globalThis[key];
  if (reg && reg.runs.get(a.runId) === a) reg.runs.delete(a.runId);
  const others = reg ? reg.runs.size : 0;
  if (reg && others === 0) delete globalThis[key];
  const opened = Symbol.for(${JSON.stringify(OPENED_SYMBOL)});
  if (why === 'expired' && others === 0 && globalThis[opened] === true) {
    delete globalThis[opened];
    try { a.inspector.close(); } catch {}
  }
  return true;
}`;

/**
 * The entry's watch: when memprof's heartbeat has been silent for STALE_AFTER_MS, the entry
 * uninstalls itself. A tick that comes late means the target itself was frozen (a heap snapshot,
 * a long synchronous task): that silence was not memprof's, so the clock starts again. Unref'd: it
 * never keeps the target alive.
 */
const WATCH_CODE = `a.lastTick = Date.now();
      a.watch = setInterval(() => {
        const now = Date.now();
        if (now - a.lastTick > ${3 * WATCH_MS}) a.seen = Math.max(a.seen, now);
        a.lastTick = now;
        if (now - a.seen > ${STALE_AFTER_MS}) a.uninstall('expired');
      }, ${WATCH_MS});
      if (a.watch.unref) a.watch.unref();`;

/** Unique per memprof run and session (binding names and registry keys derive from it). */
export function newRunId(): string {
  return `${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Evaluates an expression in the target and returns its value (by value). Throws on exceptions. */
export async function evaluate<T>(
  session: CdpSession,
  expression: string,
  opts: { commandLineApi?: boolean; awaitPromise?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  const res = await session.send<{
    result: { value?: T; type: string };
    exceptionDetails?: { text: string; exception?: { description?: string } };
  }>(
    'Runtime.evaluate',
    {
      expression,
      returnByValue: true,
      includeCommandLineAPI: opts.commandLineApi ?? false,
      awaitPromise: opts.awaitPromise ?? false,
      silent: true,
    },
    { timeoutMs: opts.timeoutMs ?? 30_000 },
  );
  if (res.exceptionDetails) {
    const d = res.exceptionDetails;
    throw new CdpError('Runtime.evaluate', -1, (d.exception?.description ?? d.text).split('\n')[0]);
  }
  return res.result.value as T;
}

/**
 * Installs this run's agent entry once per session and returns its JS accessor expression
 * (e.g. `globalThis[Symbol.for('memprof.agent')].runs.get('abc')`). `require` exists only while an
 * evaluate runs with the command-line API, so the modules memprof needs are grabbed here.
 */
export function ensureAgent(session: CdpSession, runId = newRunId()): Promise<string> {
  return claimAgent(session, { force: true, runId });
}

/**
 * Installs this run's agent entry, unless another memprof run holds the target (an entry with a
 * fresh heartbeat): then it rejects with TargetHeldError, or with `force` installs alongside it.
 * The check and the install are one evaluate, so two runs attaching at once cannot both win.
 */
export function claimAgent(session: CdpSession, opts: { force?: boolean; runId?: string } = {}): Promise<string> {
  let p = sessions.get(session);
  if (!p) {
    p = installAgent(session, opts.runId ?? newRunId(), opts.force ?? false);
    sessions.set(session, p);
    p.catch(() => sessions.delete(session));
  }
  return p;
}

/** The run id inside an agent accessor expression. */
export function runIdOf(agent: string): string {
  return JSON.parse(/get\(("[^"]+")\)$/.exec(agent)![1]) as string;
}

export function agentExpr(runId: string): string {
  return `globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})].runs.get(${JSON.stringify(runId)})`;
}

async function installAgent(session: CdpSession, runId: string, force: boolean): Promise<string> {
  // Runs whose memprof is known dead (on this host), disregarded and removed on the next try.
  const dead: string[] = [];
  for (;;) {
    const { holder, installed } = await evaluate<{ holder: (AgentHolder & { runId: string; host?: string }) | null; installed: boolean }>(
      session,
      `(() => {
        const key = Symbol.for(${JSON.stringify(AGENT_SYMBOL)});
        let reg = globalThis[key];
        const now = Date.now();
        const dead = new Set(${JSON.stringify(dead)});
        let holder = null;
        for (const [id, o] of reg ? reg.runs : []) {
          if (dead.has(id)) { if (o.uninstall) o.uninstall('detached'); else reg.runs.delete(id); continue; }
          if (id !== ${JSON.stringify(runId)} && now - o.seen < ${STALE_AFTER_MS}) holder = { pid: null, since: null, ...o.holder, runId: id };
        }
        if (holder && !${force}) return { holder, installed: false };
        reg = globalThis[key];
        if (!reg) {
          reg = { runs: new Map() };
          Object.defineProperty(globalThis, key, { value: reg, configurable: true, enumerable: false, writable: true });
        }
        const a = {
          runId: ${JSON.stringify(runId)},
          seen: now,
          holder: { pid: ${process.pid}, since: now, host: ${JSON.stringify(hostname())} },
          inspector: require('inspector'),
          v8: require('v8'),
          vm: require('vm'),
          perf: require('perf_hooks'),
          observers: [],
          bindings: [],
          forced: [],
          gc: null,
        };
        a.sample = ${SAMPLE_FUNCTION};
        a.uninstall = ${UNINSTALL_FUNCTION};
        ${WATCH_CODE}
        reg.runs.set(${JSON.stringify(runId)}, a);
        return { holder, installed: true };
      })()`,
      { commandLineApi: true },
    );
    // A fresh heartbeat from a memprof that no longer exists: it was killed while the target was
    // frozen (a snapshot), so its entry had no chance to expire yet.
    if (holder && holder.host === hostname() && holder.pid !== null && !processAlive(holder.pid) && dead.length < 8) {
      dead.push(holder.runId);
      continue;
    }
    if (!installed) throw new TargetHeldError({ pid: holder!.pid, since: holder!.since });
    if (holder) sharedWith.set(session, { pid: holder.pid, since: holder.since });
    return agentExpr(runId);
  }
}

/** True while a local process with this pid exists (EPERM: it exists, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refreshes this run's heartbeat; false when the entry is gone (another run cleaned it). */
export async function touchAgent(session: CdpSession, agent: string): Promise<boolean> {
  return evaluate<boolean>(session, `(() => { try { const a = ${agent}; if (!a) return false; a.seen = Date.now(); return true; } catch { return false; } })()`, {
    timeoutMs: 10_000,
  });
}

/**
 * Removes the left-overs of memprof runs that died without detaching: their GC observers keep
 * firing and their binding functions stay on the global object. Entries with a recent heartbeat
 * belong to a live run (another memprof attached at the same time) and are kept.
 * Returns how many pieces were removed.
 */
export async function cleanStaleAgents(session: CdpSession): Promise<number> {
  return evaluate<number>(
    session,
    `(() => {
      const reg = globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})];
      const now = Date.now();
      const live = new Set();
      let removed = 0;
      if (reg && reg.runs) {
        for (const [id, a] of reg.runs) {
          if (now - a.seen < ${STALE_AFTER_MS}) { for (const b of a.bindings) live.add(b); continue; }
          clearInterval(a.watch);
          for (const o of a.observers) { try { o.disconnect(); } catch {} removed++; }
          if (a.exitListener) { process.off('exit', a.exitListener); removed++; }
          reg.runs.delete(id);
          removed++;
        }
        if (reg.runs.size === 0) delete globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})];
      }
      for (const name of Object.getOwnPropertyNames(globalThis)) {
        if (name.startsWith(${JSON.stringify(BINDING_PREFIX)}) && !live.has(name)) { delete globalThis[name]; removed++; }
      }
      return removed;
    })()`,
  );
}

/** Removes this run's entry (and the registry when it is the last run). Observers are disconnected. */
export async function removeAgent(session: CdpSession, timeoutMs = 3000): Promise<void> {
  const p = sessions.get(session);
  if (!p) return;
  sessions.delete(session);
  let agent: string;
  try {
    agent = await p;
  } catch {
    return;
  }
  const runId = JSON.stringify(runIdOf(agent));
  await evaluate(
    session,
    `(() => {
      const key = Symbol.for(${JSON.stringify(AGENT_SYMBOL)});
      const reg = globalThis[key];
      if (!reg) return;
      const a = reg.runs.get(${runId});
      if (a) a.uninstall('detached');
      else if (reg.runs.size === 0) delete globalThis[key];
    })()`,
    { timeoutMs },
  );
}

/** True once the agent was installed on this session (used by close() to know what to clean). */
export function hasAgent(session: CdpSession): boolean {
  return sessions.has(session);
}

/**
 * Calls `onExit` as soon as the target starts exiting. An attached inspector client keeps an
 * exiting Node process alive ("Waiting for the debugger to disconnect...") until it detaches, so
 * memprof must notice the exit itself: a process 'exit' listener reporting through a binding
 * (cheaper than Runtime.enable, which would also stream every console call of the target).
 */
export async function watchTargetExit(session: CdpSession, onExit: () => void): Promise<void> {
  const agent = await ensureAgent(session);
  const binding = `${BINDING_PREFIX}exit_${runIdOf(agent)}`;
  await addBinding(session, binding, () => onExit());
  await evaluate(
    session,
    `(() => {
      const a = ${agent};
      const send = globalThis[${JSON.stringify(binding)}];
      a.exitListener = () => { try { send('exit'); } catch {} };
      process.on('exit', a.exitListener);
      a.bindings.push(${JSON.stringify(binding)});
      return true;
    })()`,
  );
}

/**
 * Keeps this run's entry fresh while the session lives, so that a run attaching meanwhile does not
 * take it for the left-over of a dead run. Returns the stop function.
 */
export function startHeartbeat(session: CdpSession): () => void {
  let inFlight = false;
  const timer = setInterval(() => {
    const p = sessions.get(session);
    if (!p || inFlight || !session.isOpen) return;
    inFlight = true;
    // A frozen target (snapshot in progress) answers late; one touch at a time.
    void p
      .then((agent) => touchAgent(session, agent))
      .catch(() => false)
      .finally(() => (inFlight = false));
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Creates the global function `name` in the target and calls `onCall` with each payload the
 * target passes to it. Returns the listener's remover (the binding itself is removed with the
 * agent's clean-up).
 */
export async function addBinding(session: CdpSession, name: string, onCall: (payload: string) => void): Promise<() => void> {
  const off = session.on('Runtime.bindingCalled', (p: { name: string; payload: string }) => {
    if (p.name === name) onCall(p.payload);
  });
  await session.send('Runtime.addBinding', { name });
  return off;
}
