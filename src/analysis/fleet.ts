import type { ConnectionsSection, FleetInstance, FleetSummary, LoadSection, MinMaxEnd, Report } from '../model/report.js';
import { connectionsNotes, connectionsSection, type StepMeasurement } from './connections.js';

/**
 * The fleet's report from its instances' (each assembled as a single-target report). Pure. The
 * sections that add up across processes are summed (memory, connections, load); those that are a
 * property of one process (growth, GC pauses, pools, leaks) are the worst instance's, named in
 * `fleet.worst`, so a limit written for one process reads the same on a fleet. `checks` is left
 * empty: the caller fills it with each check's worst instance (check/fleet.ts).
 */
export function fleetReport(instances: FleetInstance[], toolVersion: string): Report {
  const ok = instances.filter((i) => i.status === 'ok');
  // An exited instance's figures stop where it died: summing or ranking them would mix a partial
  // run into the fleet's; they stay in its own entry.
  const counted = ok.length > 0 ? ok : instances;
  const notes: Record<string, string> = {
    target: `a fleet of ${instances.length} target processes: see instances[] (each also in its own DIR/instances/K/report.json)`,
  };
  const worst = {
    growth: pickWorst(counted, (i) => i.growth.steadyBytesPerHour ?? i.growth.loadBytesPerHour, 'max'),
    gc: pickWorst(counted, (i) => i.gc.major.p99Ms ?? i.gc.overheadPct, 'max'),
    pools: pickWorst(counted, (i) => minOf(i.pools.map((p) => p.reuseRatio)), 'min'),
    leaks: pickWorst(counted, (i) => (i.leaks ? i.leaks.reduce((s, l) => s + l.retainedSize, 0) : null), 'max'),
  };
  const byName = (name: string | null): FleetInstance => counted.find((i) => i.name === name) ?? counted[0];
  const growthOf = byName(worst.growth);
  const gcOf = byName(worst.gc);
  const poolsOf = byName(worst.pools);
  const leaksOf = byName(worst.leaks);
  // The worst instance's reasons for its null figures come with its sections.
  for (const [of, prefix] of [
    [growthOf, 'growth'],
    [gcOf, 'gc'],
    [poolsOf, 'pools'],
    [leaksOf, 'leaks'],
  ] as const) {
    for (const [key, text] of Object.entries(of.notes ?? {})) if (key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`)) notes[key] = `${of.name}: ${text}`;
  }
  const exited = instances.filter((i) => i.status === 'exited');
  for (const i of exited) notes[`instances.${i.name}`] = `exited after ${i.exited?.atSec.toFixed(1)} s (${i.exited?.how}); left out of the fleet's sums and checks`;

  const top = instances.map((i) => topConnections(i.connections));
  const summary: FleetSummary = {
    instances: instances.length,
    ok: ok.length,
    exited: exited.length,
    topConnections: top,
    ...spread(instances, top),
    loadBytesPerHour: sumOrNull(counted.map((i) => i.growth.loadBytesPerHour)),
    worst,
  };
  if (counted.some((i) => i.growth.steadyBytesPerHour !== undefined)) summary.steadyBytesPerHour = sumOrNull(counted.map((i) => i.growth.steadyBytesPerHour ?? null));

  const versions = new Set(instances.map((i) => i.target.nodeVersion));
  const report: Report = {
    schema: 'memprof/report@1',
    tool: { name: 'memprof', version: toolVersion },
    target: { pid: null, nodeVersion: versions.size === 1 ? [...versions][0] : null, command: null },
    durationSec: Math.max(0, ...instances.map((i) => i.durationSec)),
    memory: {
      heapUsedBytes: sumMinMaxEnd(counted.map((i) => i.memory.heapUsedBytes)),
      rssBytes: sumMinMaxEnd(counted.map((i) => i.memory.rssBytes)),
    },
    growth: growthOf.growth,
    gc: gcOf.gc,
    pools: poolsOf.pools,
    checks: [],
    instances,
    fleet: summary,
  };
  notes.memory = 'summed over the instances (the peaks are each instance\'s own, so their sum is an upper bound of the fleet\'s)';
  const connections = summedConnections(counted);
  if (connections) {
    report.connections = connections;
    Object.assign(notes, connectionsNotes(connections));
    notes['connections.steps'] = 'each step sums the instances\' same step: sessions and memory of the whole fleet; the slope is per session across the fleet';
  }
  if (counted.some((i) => i.leaks !== undefined)) report.leaks = leaksOf.leaks ?? null;
  if (counted.some((i) => i.load)) {
    report.load = summedLoad(counted.map((i) => i.load).filter((l): l is LoadSection => Boolean(l)));
    if (report.load.latencyMs.p50 !== null) notes['load.latencyMs'] = 'the slowest instance\'s percentiles (latencies are not summed)';
  }
  report.notes = notes;
  return report;
}

function pickWorst(instances: FleetInstance[], figure: (i: FleetInstance) => number | null | undefined, worst: 'max' | 'min'): string | null {
  let best: { name: string; value: number } | null = null;
  for (const i of instances) {
    const v = figure(i);
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (!best || (worst === 'max' ? v > best.value : v < best.value)) best = { name: i.name, value: v };
  }
  return best?.name ?? null;
}

function topConnections(c: ConnectionsSection | undefined): number | null {
  if (!c || c.steps.length === 0) return null;
  return Math.max(...c.steps.map((s) => s.connections));
}

/** The most loaded instance and how far above the mean it is, over the instances measured to the end. */
function spread(instances: FleetInstance[], top: Array<number | null>): Pick<FleetSummary, 'mostLoaded' | 'imbalance'> {
  const counts = instances.map((i, k) => ({ name: i.name, n: top[k], ok: i.status === 'ok' })).filter((c): c is { name: string; n: number; ok: true } => c.ok && c.n !== null);
  if (counts.length === 0) return { mostLoaded: null, imbalance: null };
  const most = counts.reduce((a, b) => (b.n > a.n ? b : a));
  const meanN = counts.reduce((s, c) => s + c.n, 0) / counts.length;
  return { mostLoaded: most.name, imbalance: meanN > 0 ? most.n / meanN - 1 : null };
}

/** Step k of the fleet: the instances' step k added up (they ramp in the same steps, each its share). */
function summedConnections(instances: FleetInstance[]): ConnectionsSection | undefined {
  const sections = instances.map((i) => i.connections).filter((c): c is ConnectionsSection => Boolean(c));
  if (sections.length === 0) return undefined;
  const n = Math.min(...sections.map((c) => c.steps.length));
  const steps: StepMeasurement[] = [];
  for (let k = 0; k < n; k++) {
    const rows = sections.map((c) => c.steps[k]);
    steps.push({
      connections: rows.reduce((s, r) => s + r.connections, 0),
      heapUsedBytes: sumOrNull(rows.map((r) => r.heapUsedBytes)),
      rssBytes: sumOrNull(rows.map((r) => r.rssBytes)),
    });
  }
  return connectionsSection(steps);
}

function summedLoad(loads: LoadSection[]): LoadSection {
  const sum = (f: (l: LoadSection) => number | null | undefined): number | null => sumOrNull(loads.map((l) => f(l) ?? null));
  const errorsByKind: Record<string, number> = {};
  for (const l of loads) for (const [k, v] of Object.entries(l.errorsByKind ?? {})) errorsByKind[k] = (errorsByKind[k] ?? 0) + v;
  return {
    connectPerSec: sum((l) => l.connectPerSec),
    msgPerSec: sum((l) => l.msgPerSec),
    latencyMs: { p50: maxOf(loads.map((l) => l.latencyMs.p50)), p99: maxOf(loads.map((l) => l.latencyMs.p99)) },
    errors: loads.reduce((s, l) => s + l.errors, 0),
    sessionsOpened: sum((l) => l.sessionsOpened) ?? 0,
    sessionsClosed: sum((l) => l.sessionsClosed) ?? 0,
    requests: sum((l) => l.requests) ?? 0,
    peakOpen: sum((l) => l.peakOpen) ?? 0,
    sessionsFailed: sum((l) => l.sessionsFailed) ?? 0,
    requestsMissed: sum((l) => l.requestsMissed) ?? 0,
    errorsByKind,
    tool: loads[0]?.tool ?? null,
    interrupted: loads.some((l) => l.interrupted),
  };
}

function sumMinMaxEnd(values: MinMaxEnd[]): MinMaxEnd {
  return { start: sumOrNull(values.map((v) => v.start)), end: sumOrNull(values.map((v) => v.end)), peak: sumOrNull(values.map((v) => v.peak)) };
}

/** A sum over every instance, or null when one of them has no figure (a partial sum would mislead). */
function sumOrNull(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null || !Number.isFinite(v))) return null;
  return (values as number[]).reduce((s, v) => s + v, 0);
}

function maxOf(values: Array<number | null>): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length ? Math.max(...finite) : null;
}

function minOf(values: Array<number | null>): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length ? Math.min(...finite) : null;
}
