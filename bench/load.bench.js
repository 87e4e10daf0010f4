#!/usr/bin/env node
/**
 * Load generator benchmark against the fixture MCP server (fixtures/mcp-server.mjs), on this
 * machine. Runs standalone (`npm run build && node bench/load.bench.js`) or from bench/run.js.
 *
 * What it measures, per scenario:
 * - sessions/s opened, and the CPU each side spent per session (open + close): the client's from
 *   process.cpuUsage() of this process (runLoad runs here), the server's from /proc/PID/stat;
 * - with tool calls: requests/s and client CPU per request;
 * - scale: N sessions held open at once (default 10000), the server's heap per session after GC.
 *
 * Options (argv): --sessions N (scale step, default 10000), --quick (small sizes, for a smoke run),
 * --sse-sessions N (SSE scenario, default 2000), --only openClose,toolCalls,scale,sse (a subset),
 * --json (one JSON object on stdout). Results also go to bench/out/load.json (collected by run.js).
 *
 * 100K sessions on one machine: `node bench/load.bench.js --only scale --sessions 100000` (the
 * fixture gets a heap limit sized for it; takes ~15 min on 2 cores, the server being the limit).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = `${ROOT}fixtures/mcp-server.mjs`;
const { runLoad } = await import(`${ROOT}dist/load/index.js`).catch(() => {
  process.stderr.write('load.bench: dist/ is missing: run `npm run build` first\n');
  process.exit(2);
});

const argv = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const quick = argv.includes('--quick');
const asJson = argv.includes('--json');
const scaleSessions = flag('--sessions', quick ? 1000 : 10_000);
const sseSessions = flag('--sse-sessions', quick ? 200 : 2000);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : null;
const wanted = (name) => !only || only.has(name);
const CLK_TCK = 100;

function log(line) {
  if (!asJson) process.stdout.write(line + '\n');
}

/** Starts the fixture with a heap big enough for the scale step; resolves with its URL and pid. */
function startFixture(env = {}) {
  const heapMiB = Math.max(4096, Math.ceil((scaleSessions * 60 * 1024) / 2 ** 20) + 1024);
  const child = spawn(process.execPath, ['--expose-gc', `--max-old-space-size=${heapMiB}`, FIXTURE, '--mode', 'clean'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /^MCP server listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve({ url: m[1], child, pid: child.pid });
    });
    child.on('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
  });
}

function stopFixture(f) {
  return new Promise((resolve) => {
    f.child.removeAllListeners('exit');
    f.child.on('exit', resolve);
    f.child.kill('SIGTERM');
  });
}

/** CPU ms the process has used (user + system), from /proc. */
function procCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function clientCpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function status(f) {
  return (await fetch(new URL('/status', f.url))).json();
}

async function measure(f, options, hooks = {}) {
  const c0 = clientCpuMs();
  const s0 = procCpuMs(f.pid);
  const t0 = performance.now();
  const summary = await runLoad({ msgRate: 0, lifetimeMs: 5000, ...options, url: f.url }, hooks);
  return {
    summary,
    wallMs: performance.now() - t0,
    clientCpuMs: clientCpuMs() - c0,
    serverCpuMs: procCpuMs(f.pid) - s0,
  };
}

const round = (x, d = 3) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const results = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, scenarios: {} };

// 1. Open/close throughput: as fast as the server accepts.
if (wanted('openClose')) {
  const f = await startFixture();
  const n = quick ? 300 : 3000;
  await measure(f, { ramp: [50] }); // warm up the server's JIT
  const r = await measure(f, { ramp: [n] });
  const perSession = r.summary.sessionsOpened;
  results.scenarios.openClose = {
    sessions: perSession,
    sessionsPerSec: r.summary.connectPerSec,
    clientCpuMsPerSession: round(r.clientCpuMs / perSession),
    serverCpuMsPerSession: round(r.serverCpuMs / perSession),
    initializeP50Ms: r.summary.initializeLatencyMs.p50,
    initializeP99Ms: r.summary.initializeLatencyMs.p99,
    errors: r.summary.errors,
  };
  log(`open+close ${perSession} sessions: ${r.summary.connectPerSec} sessions/s; CPU per session (open+close): ` +
    `client ${round(r.clientCpuMs / perSession)} ms, server ${round(r.serverCpuMs / perSession)} ms; errors ${r.summary.errors}`);
  await stopFixture(f);
}

// 2. Tool calls: steady request rate over a few hundred sessions.
if (wanted('toolCalls')) {
  const f = await startFixture();
  const sessions = 200;
  const msgRate = quick ? 2 : 5;
  const r = await measure(f, { ramp: [sessions], msgRate, holdMs: quick ? 2000 : 10_000 });
  const req = r.summary.requests;
  const server = await status(f);
  results.scenarios.toolCalls = {
    sessions,
    msgRateAsked: sessions * msgRate,
    msgPerSec: r.summary.msgPerSec,
    requests: req,
    serverToolCalls: server.toolCalls,
    latencyMs: r.summary.latencyMs,
    requestsMissed: r.summary.requestsMissed,
    // An upper bound: it includes opening and closing the sessions.
    clientCpuMsPerRequest: round(r.clientCpuMs / Math.max(1, req)),
    serverCpuMsPerRequest: round(r.serverCpuMs / Math.max(1, req)),
    errors: r.summary.errors,
  };
  log(`tool calls over ${sessions} sessions at ${msgRate}/s each: ${r.summary.msgPerSec} req/s (asked ${sessions * msgRate}), ` +
    `p50 ${r.summary.latencyMs.p50} ms p99 ${r.summary.latencyMs.p99} ms; server counted ${server.toolCalls} of ${req}; ` +
    `CPU per request: client ${round(r.clientCpuMs / Math.max(1, req))} ms, server ${round(r.serverCpuMs / Math.max(1, req))} ms; errors ${r.summary.errors}`);
  await stopFixture(f);
}

// 3. Scale: N sessions open at once, heap per session on the server.
if (wanted('scale')) {
  const f = await startFixture();
  const base = await status(f);
  let atTop = null;
  const steps = [Math.round(scaleSessions / 4), Math.round(scaleSessions / 2), scaleSessions];
  const r = await measure(f, { ramp: steps, concurrency: 64 }, {
    onStep: async (step) => {
      const s = await status(f);
      if (step.index === steps.length - 1) atTop = s;
      log(`  step ${step.connections} sessions: server reports ${s.sessions}, heap ${(s.heapUsed / 2 ** 20).toFixed(1)} MiB`);
    },
    onWarning: (w) => log(`  warning: ${w}`),
  });
  const opened = r.summary.sessionsOpened;
  const heapPerSession = atTop ? (atTop.heapUsed - base.heapUsed) / atTop.sessions : null;
  const after = await status(f);
  results.scenarios.scale = {
    asked: scaleSessions,
    reached: r.summary.peakOpen,
    serverSessionsAtTop: atTop?.sessions ?? null,
    sessionsPerSec: r.summary.connectPerSec,
    clientCpuMsPerSession: round(r.clientCpuMs / opened),
    serverCpuMsPerSession: round(r.serverCpuMs / opened),
    serverHeapBytesPerSession: round(heapPerSession, 0),
    serverSessionsAfter: after.sessions,
    errorsByKind: r.summary.errorsByKind,
    wallSec: round(r.wallMs / 1000, 1),
  };
  log(`scale: ${r.summary.peakOpen} of ${scaleSessions} sessions open at once (server: ${atTop?.sessions}); ` +
    `${r.summary.connectPerSec} sessions/s; heap ${round(heapPerSession / 1024, 1)} KiB/session; ` +
    `client CPU ${round(r.clientCpuMs / opened)} ms/session; all closed: ${after.sessions === 0}; ${round(r.wallMs / 1000, 1)} s`);
  await stopFixture(f);
}

// 4. SSE: one GET stream per session (one socket each side).
if (wanted('sse')) {
  const f = await startFixture();
  const base = await status(f);
  let atTop = null;
  const r = await measure(f, { ramp: [sseSessions], sse: true }, { onStep: async () => (atTop = await status(f)) });
  const heapPerSession = atTop ? (atTop.heapUsed - base.heapUsed) / atTop.sessions : null;
  results.scenarios.sse = {
    sessions: r.summary.peakOpen,
    streams: atTop?.sseStreams ?? null,
    sessionsPerSec: r.summary.connectPerSec,
    clientCpuMsPerSession: round(r.clientCpuMs / r.summary.sessionsOpened),
    serverHeapBytesPerSession: round(heapPerSession, 0),
    errors: r.summary.errors,
    errorsByKind: r.summary.errorsByKind,
  };
  log(`sse: ${r.summary.peakOpen} sessions with ${atTop?.sseStreams} GET streams; ${r.summary.connectPerSec} sessions/s; ` +
    `heap ${round(heapPerSession / 1024, 1)} KiB/session; client CPU ${round(r.clientCpuMs / r.summary.sessionsOpened)} ms/session; ` +
    `errors ${JSON.stringify(r.summary.errorsByKind)}`);
  await stopFixture(f);
}

const json = JSON.stringify({ bench: 'load', ...results }, null, 2) + '\n';
const outDir = `${ROOT}bench/out`;
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}/load.json.tmp`, json);
renameSync(`${outDir}/load.json.tmp`, `${outDir}/load.json`);
if (asJson) process.stdout.write(json);
else log(`results: ${outDir}/load.json`);
