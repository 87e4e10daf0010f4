// Scale benchmark (issue 10): memprof profiling the fixture MCP server (clean mode) at many
// sessions, and what attaching memprof costs the server.
//
// - scale: `memprof profile --target ... --mcp ... --ramp N/4,N/2,N --msg-rate 0.01 --hold 30s
//   --snapshots 0` (no full snapshot; the sampling heap profiler is on). Figures: time to open the
//   N sessions, marginal heap per session, memprof's forced GC pauses, the target's own longest
//   major GC, memprof's peak RSS (profiler and load generator are one process), per-session
//   bytes from the sampling profiler, leaks found.
// - overhead: the same traffic at M sessions (default 10,000), once driven by `memprof load`
//   alone and once by `memprof profile` attached (default options, --snapshots 0, no warm-up so
//   both runs start from the same cold server), each against a fresh server: throughput and p99
//   latency of the tool calls, and their ratios.
//
//   node bench/scale.bench.js [--sessions N] [--overhead-sessions M] [--msg-rate R] [--hold 30s]
//                             [--only scale,overhead] [--profile-args=FLAGS] [--quick]
//
// Results: bench/out/scale.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'memprof.js');
const FIXTURE = join(ROOT, 'fixtures', 'mcp-server.mjs');
const OUT = join(ROOT, 'bench', 'out');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const quick = argv.includes('--quick');
const sessions = Number(opt('--sessions', quick ? 2000 : 10_000));
const overheadSessions = Number(opt('--overhead-sessions', quick ? 2000 : 10_000));
const msgRate = opt('--msg-rate', '0.05');
const hold = opt('--hold', quick ? '15s' : '30s');
const only = opt('--only', null)?.split(',');
/** More flags for the attached run, e.g. --profile-args=--no-sampling to tell the profiler's share. */
const profileArgs = (argv.find((a) => a.startsWith('--profile-args='))?.slice('--profile-args='.length) ?? '').split(' ').filter(Boolean);
const wanted = (name) => !only || only.includes(name);
const MiB = 2 ** 20;

/** The fixture with its inspector on a random port and a heap big enough for `n` sessions. */
function startFixture(n) {
  const heapMiB = Math.max(2048, Math.ceil((n * 60 * 1024) / MiB) + 1024);
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', `--max-old-space-size=${heapMiB}`, FIXTURE, '--mode', 'clean'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const done = () => {
      const mcp = /^MCP server listening on (http:\/\/\S+)$/m.exec(out);
      const ws = /(ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(err);
      if (mcp && ws) resolve({ child, mcp: mcp[1], ws: ws[1] });
    };
    child.stdout.on('data', (c) => ((out += c), done()));
    child.stderr.on('data', (c) => ((err += c), done()));
    child.on('exit', (code) => reject(new Error(`fixture exited with ${code}: ${err}`)));
  });
}

function stopFixture(f) {
  return new Promise((resolve) => {
    f.child.removeAllListeners('exit');
    f.child.on('exit', resolve);
    f.child.kill('SIGTERM');
    setTimeout(() => f.child.kill('SIGKILL'), 10_000).unref();
  });
}

async function memprofRun(args) {
  const r = await measure(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60 * 60_000 });
  // 0 or 1 is the checklist's verdict; anything else is the run failing.
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`memprof ${args[0]} failed (${r.status}): ${r.error}`);
  return r;
}

const num = (v, digits = 1) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

async function scale() {
  const f = await startFixture(sessions);
  const dir = mkdtempSync(join(tmpdir(), 'memprof-scale-'));
  try {
    const ramp = [Math.round(sessions / 4), Math.round(sessions / 2), sessions].join(',');
    const r = await memprofRun(['profile', '--target', f.ws, '--mcp', f.mcp, '--ramp', ramp, '--msg-rate', '0.01', '--hold', hold, '--snapshots', '0', '--out', dir]);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const c = report.connections ?? {};
    return {
      sessions,
      command: `memprof profile --target WS --mcp URL --ramp ${ramp} --msg-rate 0.01 --hold ${hold} --snapshots 0`,
      wallSec: r.wallSec,
      openSec: report.load?.connectPerSec ? num(sessions / report.load.connectPerSec) : null,
      connectPerSec: report.load?.connectPerSec ?? null,
      marginalBytesPerSession: num(c.marginalBytesPerConnection, 0),
      r2: num(c.r2, 4),
      sampledBytesPerSession: c.sessionSites?.bytesPerSession ?? null,
      forcedGc: report.gc?.forced ?? null,
      naturalMajorMaxMs: report.gc?.major?.maxMs ?? null,
      steadyBytesPerHour: report.growth?.steadyBytesPerHour ?? null,
      leaks: Array.isArray(report.leaks) ? report.leaks.length : report.leaks,
      memprofPeakRssBytes: r.maxRssBytes,
      memprofCpuSec: r.cpuSec,
      loadErrors: report.load?.errors ?? null,
    };
  } finally {
    await stopFixture(f);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same traffic without memprof attached (load only) and with it (profile). */
async function overhead() {
  const scenario = ['--ramp', String(overheadSessions), '--msg-rate', msgRate, '--hold', hold];
  const base = await startFixture(overheadSessions);
  let without;
  try {
    const r = await memprofRun(['load', '--mcp', base.mcp, ...scenario, '--json']);
    without = JSON.parse(r.stdout);
  } finally {
    await stopFixture(base);
  }
  const f = await startFixture(overheadSessions);
  const dir = mkdtempSync(join(tmpdir(), 'memprof-overhead-'));
  let withReport;
  let rss;
  try {
    const r = await memprofRun(['profile', '--target', f.ws, '--mcp', f.mcp, ...scenario, '--snapshots', '0', '--no-warmup', ...profileArgs, '--out', dir]);
    withReport = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    rss = r.maxRssBytes;
  } finally {
    await stopFixture(f);
    rmSync(dir, { recursive: true, force: true });
  }
  const w = withReport.load;
  return {
    sessions: overheadSessions,
    msgRate: Number(msgRate),
    hold,
    profileArgs,
    // requestsMissed: calls --msg-rate asked for but not sent (in flight at the limit, or the load held still by memprof).
    without: { msgPerSec: without.msgPerSec, p99Ms: without.latencyMs?.p99 ?? null, requests: without.requests, requestsMissed: without.requestsMissed, errors: without.errors },
    with: {
      msgPerSec: w.msgPerSec,
      p99Ms: w.latencyMs.p99,
      requests: w.requests,
      requestsMissed: w.requestsMissed,
      errors: w.errors,
      forcedGc: withReport.gc?.forced ?? null,
      memprofPeakRssBytes: rss,
    },
    throughputRatio: num(w.msgPerSec / without.msgPerSec, 3),
    p99Ratio: num(w.latencyMs.p99 / without.latencyMs?.p99, 2),
  };
}

const result = { date: new Date().toISOString(), node: process.version };
if (wanted('scale')) {
  console.log(`scale: ${sessions} sessions, hold ${hold}, no full snapshot ...`);
  result.scale = await scale();
  const s = result.scale;
  console.log(
    `  open ${s.openSec} s (${s.connectPerSec}/s), marginal ${(s.marginalBytesPerSession / 1024).toFixed(1)} KiB/session (R² ${s.r2}), ` +
      `sampled ${s.sampledBytesPerSession === null ? 'n/a' : `${(s.sampledBytesPerSession / 1024).toFixed(1)} KiB`}/session, ` +
      `forced GCs ${s.forcedGc?.count ?? 'n/a'} (${s.forcedGc?.totalMs ?? 'n/a'} ms in all, longest ${s.forcedGc?.maxMs ?? 'n/a'} ms), ` +
      `memprof peak RSS ${(s.memprofPeakRssBytes / MiB).toFixed(0)} MiB, leaks ${s.leaks}, run ${s.wallSec} s`,
  );
}
if (wanted('overhead')) {
  console.log(`overhead: ${overheadSessions} sessions at ${msgRate} req/s each, hold ${hold}, without and with memprof ...`);
  result.overhead = await overhead();
  const o = result.overhead;
  console.log(
    `  without: ${o.without.msgPerSec} req/s, p99 ${o.without.p99Ms} ms; with: ${o.with.msgPerSec} req/s, p99 ${o.with.p99Ms} ms; ` +
      `throughput ratio ${o.throughputRatio}, p99 ratio ${o.p99Ratio}`,
  );
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'scale.json'), JSON.stringify(result, null, 2) + '\n');
