import type { GcEvent } from '../model/recording.js';
import { AGENT_SYMBOL, BINDING_PREFIX, addBinding, ensureAgent, evaluate, runIdOf } from './agent.js';
import type { CdpSession } from './session.js';

export interface GcRecorder {
  /** Delivers the events the target still holds, then removes the observer and the binding. */
  stop(): Promise<void>;
  /** Events delivered so far. */
  readonly count: number;
}

/**
 * Records every GC of the target with its kind and pause. A PerformanceObserver('gc') installed in
 * the target reports through a Runtime.addBinding function: exact (one entry per GC, from V8's GC
 * prologue/epilogue callbacks), prompt (delivered on the target's next tick), and costing nothing
 * measurable. The binding name is unique per run so concurrent or killed runs never mix.
 */
export async function startGcRecorder(session: CdpSession, onEvent: (e: GcEvent) => void): Promise<GcRecorder> {
  const agent = await ensureAgent(session);
  // Unique per recorder too: a run may record twice on one session.
  const binding = `${BINDING_PREFIX}gc_${runIdOf(agent)}_${++recorders}`;
  let count = 0;

  const off = await addBinding(session, binding, (payload) => {
    let rows: Array<[number, number, number, number, number?]>;
    try {
      rows = JSON.parse(payload);
    } catch {
      return;
    }
    for (const [kind, t, durationMs, forced, heapAfter] of rows) {
      const e: GcEvent = { t, kind: KIND[kind] ?? 'major', durationMs };
      if (forced === 1) e.forced = true;
      else if (forced === 2) e.forcedByOther = true;
      if (typeof heapAfter === 'number') e.heapAfter = heapAfter;
      count++;
      onEvent(e);
    }
  });

  // Entry times are relative to performance.timeOrigin; forced windows ([start, end] in the same
  // clock, written by forceFullGc) let the target itself decide which GCs memprof caused.
  await evaluate(
    session,
    `(() => {
      const a = ${agent};
      const send = globalThis[${JSON.stringify(binding)}];
      const { PerformanceObserver, performance, constants } = a.perf;
      const kinds = new Map([
        [constants.NODE_PERFORMANCE_GC_MINOR, 1],
        [constants.NODE_PERFORMANCE_GC_MAJOR, 2],
        [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 3],
        [constants.NODE_PERFORMANCE_GC_WEAKCB, 4],
      ]);
      const origin = performance.timeOrigin;
      // The old generation as the target's own major GC left it: read when the entry arrives (the
      // next tick), before any scavenge can promote more into it. Only the batch's last major GC
      // gets the reading; earlier ones in the same batch were followed by it.
      const oldGeneration = () => {
        let used = 0;
        for (const s of a.v8.getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') used += s.space_used_size;
        return used;
      };
      const report = (entries) => {
        const rows = [];
        let lastMajor = null;
        for (const e of entries) {
          const kind = kinds.get(e.detail ? e.detail.kind : e.kind) || 2;
          let forced = 0;
          for (const w of a.forced) if (e.startTime >= w[0] && e.startTime <= w[1]) { forced = 1; break; }
          // Another memprof run attached at the same time (--force) forces GCs of its own: never this run's, nor the target's.
          const reg = globalThis[Symbol.for(${JSON.stringify(AGENT_SYMBOL)})];
          if (!forced && reg) for (const o of reg.runs.values()) {
            if (o === a || !o.forced) continue;
            for (const w of o.forced) if (e.startTime >= w[0] && e.startTime <= w[1]) { forced = 2; break; }
            if (forced) break;
          }
          const row = [kind, origin + e.startTime, e.duration, forced];
          if (kind === 2 && !forced) lastMajor = row;
          rows.push(row);
        }
        if (lastMajor) lastMajor.push(oldGeneration());
        if (rows.length) send(JSON.stringify(rows));
      };
      const obs = new PerformanceObserver((list) => report(list.getEntries()));
      obs.observe({ entryTypes: ['gc'] });
      a.observers.push(obs);
      (a.recorders ??= {})[${JSON.stringify(binding)}] = { obs, report };
      a.bindings.push(${JSON.stringify(binding)});
      return true;
    })()`,
  );

  let stopped: Promise<void> | null = null;
  return {
    get count() {
      return count;
    },
    stop() {
      stopped ??= (async () => {
        if (session.isOpen) {
          // Entries are queued until the target's next tick; one evaluate that waits a tick
          // lets the last ones arrive before the observer goes.
          await evaluate(
            session,
            `new Promise((done) => setTimeout(() => {
              const a = ${agent};
              const r = a && a.recorders && a.recorders[${JSON.stringify(binding)}];
              if (r) {
                const rest = r.obs.takeRecords ? r.obs.takeRecords() : [];
                if (rest.length) r.report(rest);
                r.obs.disconnect();
                a.observers = a.observers.filter((o) => o !== r.obs);
                delete a.recorders[${JSON.stringify(binding)}];
              }
              delete globalThis[${JSON.stringify(binding)}];
              if (a) a.bindings = a.bindings.filter((b) => b !== ${JSON.stringify(binding)});
              done(true);
            }, 20))`,
            { awaitPromise: true, timeoutMs: 3000 },
          ).catch(() => {});
          await session.send('Runtime.removeBinding', { name: binding }, { timeoutMs: 3000 }).catch(() => {});
        }
        off();
      })();
      return stopped;
    },
  };
}

let recorders = 0;

const KIND: Record<number, GcEvent['kind']> = { 1: 'minor', 2: 'major', 3: 'incremental', 4: 'weak' };
