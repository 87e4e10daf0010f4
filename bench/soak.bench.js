#!/usr/bin/env node
/**
 * Soak benchmark: `memprof run` profiles a churning MCP server (fixtures/mcp-server.mjs, pooled
 * mode: sessions replaced all the time, tool calls going on) for a long hold, and this script
 * watches memprof itself while it runs: its resident memory (must stay flat), the size of
 * samples.jsonl and gc.jsonl (must grow linearly) and whether every line of them parses at every
 * look (they must stay readable while written). Not part of the default `npm run bench` (it takes
 * half an hour); run it by name:
 *
 *   npm run bench -- soak                  # 30 minutes
 *   npm run bench -- soak --minutes 5      # shorter (or SOAK_MINUTES=5)
 *
 * Options: --minutes M (hold, default 30), --sessions N (default 50), --every S (seconds between
 * looks, default: the hold / 120, at least 2). Results: bench/out/soak.json. Exit 1 when a
 * guarantee did not hold (RSS drifted by more than 10 MiB/h after the first fifth, a file stopped
 * growing or was unreadable, memprof failed); the verdict of the checklist does not matter here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const argv = process.argv.slice(2).filter((a) => a !== 'soak');
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const minutes = opt('minutes', Number(process.env.SOAK_MINUTES ?? 30));
const sessions = opt('sessions', 50);
const everyMs = opt('every', Math.max(2, (minutes * 60) / 120)) * 1000;
const RSS_DRIFT_LIMIT_MIB_H = 10;

const dir = `${OUT}soak/`;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const args = [
  `${ROOT}bin/memprof.js`, 'run', '--mcp', 'http://127.0.0.1:0/mcp', '--ramp', String(sessions), '--msg-rate', '1',
  '--hold', `${minutes * 60}s`, '--churn', '--lifetime', '10s', '--snapshots', '0', '--out', dir,
  '--', process.execPath, `${ROOT}fixtures/mcp-server.mjs`, '--mode', 'pooled',
];
console.log(`soak: memprof run with ${sessions} churning sessions held ${minutes} min; a look every ${everyMs / 1000} s`);
const started = Date.now();
const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

function rssOf(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Bytes and whole lines of a JSONL file; `bad` counts lines that do not parse (a torn last line is not complete yet). */
function look(file) {
  if (!existsSync(file)) return { bytes: 0, lines: 0, bad: 0 };
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  let lines = 0;
  let bad = 0;
  for (const line of complete.split('\n')) {
    if (!line) continue;
    lines++;
    try {
      JSON.parse(line);
    } catch {
      bad++;
    }
  }
  return { bytes: statSync(file).size, lines, bad };
}

const points = [];
let done = false;
void exited.then(() => (done = true));
while (!done) {
  await Promise.race([new Promise((r) => setTimeout(r, everyMs)), exited]);
  if (done) break;
  const rss = rssOf(child.pid);
  if (rss === null) continue;
  const p = { sec: (Date.now() - started) / 1000, rss, samples: look(`${dir}samples.jsonl`), gc: look(`${dir}gc.jsonl`) };
  points.push(p);
  process.stdout.write(`  ${p.sec.toFixed(0)} s: memprof RSS ${(rss / 2 ** 20).toFixed(1)} MiB, samples.jsonl ${p.samples.lines} lines, gc.jsonl ${p.gc.lines} lines\n`);
}
const { code, signal } = await exited;

/** Least-squares slope and r² of y against x. */
function fit(xs, ys) {
  const n = xs.length;
  if (n < 3) return { slope: null, r2: null };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return { slope: sxx ? sxy / sxx : null, r2: sxx && syy ? (sxy * sxy) / (sxx * syy) : null };
}

// After the first fifth (start-up, the ramp, the JIT warming up) and before the last twentieth
// (the sessions closing, the report assembled) memprof's RSS must be flat.
const settled = points.slice(Math.floor(points.length / 5), Math.ceil((points.length * 19) / 20));
const rssFit = fit(settled.map((p) => p.sec), settled.map((p) => p.rss));
const rssMiBPerHour = rssFit.slope === null ? null : (rssFit.slope * 3600) / 2 ** 20;
const samplesFit = fit(settled.map((p) => p.sec), settled.map((p) => p.samples.bytes));
const finalSamples = look(`${dir}samples.jsonl`);
const finalGc = look(`${dir}gc.jsonl`);
const unreadable = points.reduce((n, p) => n + p.samples.bad + p.gc.bad, 0) + finalSamples.bad + finalGc.bad;
const result = {
  minutes,
  sessions,
  exit: code ?? signal,
  looks: points.length,
  memprofRss: {
    startMiB: points.length ? points[0].rss / 2 ** 20 : null,
    peakMiB: points.length ? Math.max(...points.map((p) => p.rss)) / 2 ** 20 : null,
    endMiB: points.length ? points[points.length - 1].rss / 2 ** 20 : null,
    settledSlopeMiBPerHour: rssMiBPerHour,
  },
  files: {
    samplesLines: finalSamples.lines,
    samplesBytes: finalSamples.bytes,
    gcLines: finalGc.lines,
    samplesGrowthR2: samplesFit.r2,
    bytesPerHour: samplesFit.slope === null ? null : samplesFit.slope * 3600,
    unreadableLines: unreadable,
  },
  reportWritten: existsSync(`${dir}report.json`),
};
writeFileSync(`${OUT}soak.json`, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));

const failures = [];
if (![0, 1].includes(code)) failures.push(`memprof exited with ${code ?? signal}: ${stderr.trim().split('\n').pop()}`);
if (rssMiBPerHour === null || Math.abs(rssMiBPerHour) > RSS_DRIFT_LIMIT_MIB_H) failures.push(`memprof's RSS drifted ${rssMiBPerHour?.toFixed(1)} MiB/h (limit ±${RSS_DRIFT_LIMIT_MIB_H})`);
if (samplesFit.r2 === null || samplesFit.r2 < 0.98) failures.push(`samples.jsonl did not grow linearly (r² ${samplesFit.r2?.toFixed(3)})`);
if (unreadable > 0) failures.push(`${unreadable} lines of the JSONL files did not parse`);
if (!result.reportWritten) failures.push('no report.json');
for (const f of failures) console.error(`soak: ${f}`);
console.log(failures.length ? 'soak: FAILED' : 'soak: memprof stayed flat, its files grew linearly and stayed readable');
process.exitCode = failures.length ? 1 : 0;
