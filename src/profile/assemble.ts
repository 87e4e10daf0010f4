import { burstSection } from '../analysis/burst.js';
import { connectionsNotes, connectionsSection, projectConnections } from '../analysis/connections.js';
import { gcNotes, gcSection } from '../analysis/gc.js';
import { growthNotes, growthSection } from '../analysis/growth.js';
import { poolNotes, poolSection } from '../analysis/pools.js';
import { windowProgram } from '../analysis/window-program.js';
import type { LoadSummary } from '../load/types.js';
import { perRequest } from '../analysis/per-request.js';
import type { ConnectionsSection, LoadSection, MinMaxEnd, Report } from '../model/report.js';
import { attributeGrowth } from '../snapshot/index.js';
import type { Recording } from './recording.js';
import { applySampling } from './sampled-sections.js';

/**
 * report.json (memprof/report@1) from what a run recorded. Pure: the same recording always gives
 * the same report. `checks` is left empty; the command evaluates the checklist on the result.
 */
export function assembleReport(rec: Recording, toolVersion: string): Report {
  const notes: Record<string, string> = { ...rec.notes };
  const wallMs = Math.max(0, rec.endedAt - rec.startedAt);

  const memory = {
    heapUsedBytes: startEndPeak(rec.samples.map((s) => s.heapUsed)),
    rssBytes: startEndPeak(rec.samples.map((s) => s.rss)),
  };
  if (rec.samples.length === 0) {
    for (const f of ['heapUsedBytes', 'rssBytes']) {
      for (const k of ['start', 'end', 'peak']) notes[`memory.${f}.${k}`] = 'no memory sample was taken (the run ended before the first one)';
    }
  }

  const growth = growthSection(rec.samples, { gcEvents: rec.gcEvents, steadyWindow: rec.steadyWindow, v8Metadata: rec.v8Metadata });
  Object.assign(notes, growthNotes(growth));
  if (rec.drivenLoad && rec.holdPlanned === false) {
    // Not set out to measure: steady state is the top step held (--hold); the check is n/a.
    delete (growth as Partial<typeof growth>).steadyBytesPerHour;
    notes['growth.steadyBytesPerHour'] = 'not set out to measure: steady state is the top step held, and the run had no --hold';
  }
  if (rec.transport === 'stdio' && growth.loadBytesPerHour === null) {
    // One session: there is no ramp whose growth could be fitted; the hold is the measurement.
    growth.loadFit.reason = 'no ramp with one session per process (stdio): growth is measured over the hold (growth.steadyBytesPerHour)';
    notes['growth.loadBytesPerHour'] = growth.loadFit.reason;
  }
  const perReq = growth.steadyBytesPerHour === undefined ? null : perRequest(growth.steadyBytesPerHour, rec.steadyWindow);
  if (perReq) {
    growth.bytesPerRequest = perReq.bytesPerRequest;
    growth.requestsInWindow = perReq.requestsInWindow;
    if (perReq.reason) notes['growth.bytesPerRequest'] ??= perReq.reason;
  }

  const program = windowProgram(rec.programMemory);
  if (program) growth.program = program;

  const gc = gcSection(rec.gcEvents, wallMs);
  Object.assign(notes, gcNotes(gc));

  const report: Report = {
    schema: 'memprof/report@1',
    tool: { name: 'memprof', version: toolVersion },
    target: { ...rec.target },
    durationSec: wallMs / 1000,
    memory,
    growth,
    gc,
    pools: [],
    checks: [],
  };

  // One session per process (stdio): there is no count of connections to fit memory against.
  const connections = rec.transport === 'stdio' ? undefined : connectionsFor(rec, notes);
  if (connections) report.connections = connections;
  if (rec.transport === 'stdio') {
    notes.connections ??=
      'one session per process (stdio): memory per connection needs a varying number of sessions; memory per request is growth.bytesPerRequest';
  }

  if (rec.pools) {
    report.pools = poolSection(rec.pools, rec.poolsAtStart);
    for (const [key, note] of Object.entries(poolNotes(report.pools, rec.poolsAtStart))) notes[key] ??= note;
  } else if (rec.poolsError) {
    notes.pools = `pools could not be read: ${rec.poolsError}`;
  }

  if (rec.snapshotsRequested >= 3) {
    report.leaks = rec.leaks ?? null;
    if (!report.leaks) notes.leaks ??= 'leak detection did not run';
    if (rec.growingClasses) report.growingClasses = rec.growingClasses;
    // How much of the steady growth the leak groups account for (their rates over the same window).
    if (report.leaks && report.leaks.length > 0 && typeof growth.steadyBytesPerHour === 'number') {
      report.growth.attribution = attributeGrowth(growth.steadyBytesPerHour, report.leaks);
    }
  }

  applySampling(rec, report, notes);

  if (rec.drivenLoad) {
    report.load = loadSection(rec.load ?? null);
    if (!rec.load) notes.load = notes.load ?? 'the load generator did not report (it failed or was interrupted before it started)';
    else {
      if (report.load.connectPerSec === null) {
        notes['load.connectPerSec'] ??= rec.load.transport === 'stdio' ? 'one session per process (stdio), opened when the server started' : 'no session was opened';
      }
      if (report.load.msgPerSec === null) notes['load.msgPerSec'] ??= 'no tools/call request was sent (--msg-rate 0)';
      if (report.load.latencyMs.p50 === null) notes['load.latencyMs'] ??= 'no request completed, so no latency was measured';
    }
  }

  const burst = rec.burst ? burstFor(rec, rec.burst) : null;
  if (burst) {
    report.burst = burst.section;
    for (const [key, note] of Object.entries(burst.notes)) notes[key] ??= note;
  }

  if (Object.keys(notes).length > 0) report.notes = notes;
  return report;
}

function connectionsFor(rec: Recording, notes: Record<string, string>): ConnectionsSection | undefined {
  if (!rec.drivenLoad && rec.steps.length === 0) return undefined;
  const section = connectionsSection(rec.steps.map(({ connections, heapUsedBytes, rssBytes }) => ({ connections, heapUsedBytes, rssBytes })));
  Object.assign(notes, connectionsNotes(section));
  if (!rec.drivenLoad && rec.connectionClassCounted) {
    notes['connections.steps'] ??= `connections counted from the heap: instances of ${rec.connectionClassCounted} at the start and the end of the run`;
  }
  if (rec.retained !== undefined) section.retained = rec.retained;
  if (rec.sessionBreakdown) section.typicalSession = rec.sessionBreakdown;
  section.projected = projectConnections(section, rec.projectTo);
  section.projectedBytes = section.projected?.projectedBytes ?? null;
  if (!section.projected) {
    notes['connections.projected'] = notes['connections.marginalBytesPerConnection'] ?? 'the connections fit is null';
    notes['connections.projectedBytes'] = notes['connections.projected'];
  }
  return section;
}

/** The burst section, with the top step's still point as the level before it. */
function burstFor(rec: Recording, asked: NonNullable<Recording['burst']>): ReturnType<typeof burstSection> {
  const marks = rec.load?.burst ?? null;
  const top = rec.steps[rec.steps.length - 1];
  const before = top ? rec.samples.find((s) => s.t === top.t && s.afterGc) ?? null : null;
  return burstSection(rec.samples, rec.gcEvents, {
    rate: asked.rate,
    durationMs: asked.durationMs,
    load: marks,
    recoveryMs: asked.recoveryMs,
    windowEndT: asked.windowEndT,
    runStartT: rec.startedAt,
    before,
  });
}

function loadSection(summary: LoadSummary | null): LoadSection {
  if (!summary) return { connectPerSec: null, msgPerSec: null, latencyMs: { p50: null, p99: null }, errors: 0 };
  return {
    connectPerSec: summary.connectPerSec,
    msgPerSec: summary.msgPerSec,
    latencyMs: { p50: summary.latencyMs.p50, p99: summary.latencyMs.p99 },
    errors: summary.errors,
    sessionsOpened: summary.sessionsOpened,
    sessionsClosed: summary.sessionsClosed,
    requests: summary.requests,
    peakOpen: summary.peakOpen,
    sessionsFailed: summary.sessionsFailed,
    requestsMissed: summary.requestsMissed,
    initializeLatencyMs: summary.initializeLatencyMs,
    errorsByKind: summary.errorsByKind,
    tool: summary.tool,
    interrupted: summary.interrupted,
    ...(summary.transport ? { transport: summary.transport } : {}),
    ...(summary.nonProtocolLines ? { nonProtocolLines: summary.nonProtocolLines } : {}),
    ...(summary.stdErr ? { stdErr: summary.stdErr } : {}),
  };
}

function startEndPeak(values: number[]): MinMaxEnd {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { start: null, end: null, peak: null };
  let peak = finite[0];
  for (const v of finite) if (v > peak) peak = v;
  return { start: finite[0], end: finite[finite.length - 1], peak };
}
