#!/usr/bin/env node
/**
 * Live capture benchmark: `memprof snapshot` of a real Node process holding a big heap
 * (fixtures/targets/idle.cjs with GROW_MB), streamed to a plain and to a gzipped file.
 * Runs standalone (`npm run build && node bench/capture.bench.js`) or from bench/run.js.
 *
 * Per output it reports memprof's own peak RSS and CPU (GNU time), the wall time the target was
 * frozen for, the file size, and the target's extra native memory while snapshotting (its VmHWM
 * after minus its VmRSS before, from /proc): the figure `snapshot`'s headroom check relies on.
 *
 * Options: --mb N (GROW_MB of the target, default 420: ~200 MB of heap), --quick (--mb 40),
 * --json. Results: bench/out/capture.json.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const argv = process.argv.slice(2);
const mbAt = argv.indexOf('--mb');
const mb = mbAt >= 0 ? Number(argv[mbAt + 1]) : argv.includes('--quick') ? 40 : 420;
const asJson = argv.includes('--json');
const log = (line) => {
  if (!asJson) process.stdout.write(line + '\n');
};
const mib = (b) => (b === null ? 'not measured' : `${(b / 2 ** 20).toFixed(1)} MiB`);

function procStatus(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : null;
}

/** Starts the target with its inspector on a random loopback port; resolves once its heap is grown. */
function startTarget() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', `${ROOT}fixtures/targets/idle.cjs`], {
      env: { ...process.env, GROW_MB: String(mb) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let err = '';
    let port = null;
    child.stderr.on('data', (d) => {
      err += d;
      port ??= /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err)?.[1] ?? null;
    });
    child.on('message', (m) => m === 'ready' && resolve({ child, port: Number(port) }));
    child.once('exit', (code) => reject(new Error(`target exited (${code}): ${err}`)));
  });
}

const results = { targetGrowMb: mb, runs: [] };
for (const file of ['capture.heapsnapshot', 'capture.heapsnapshot.gz']) {
  // A fresh target per run: VmHWM only ever grows.
  const { child, port } = await startTarget();
  const pid = child.pid;
  const rssBefore = procStatus(pid, 'VmRSS');
  const out = OUT + file;
  rmSync(out, { force: true });
  const r = await measure(process.execPath, [`${ROOT}bin/memprof.js`, 'snapshot', '--target', `127.0.0.1:${port}`, '-o', out], { cwd: ROOT });
  const hwm = procStatus(pid, 'VmHWM');
  child.kill('SIGKILL');
  const row = {
    file,
    status: r.status,
    error: r.error,
    bytes: r.ok ? statSync(out).size : null,
    wallSec: r.wallSec,
    memprofCpuSec: r.cpuSec,
    memprofMaxRssBytes: r.maxRssBytes,
    targetRssBeforeBytes: rssBefore,
    targetExtraBytes: hwm !== null && rssBefore !== null ? hwm - rssBefore : null,
  };
  results.runs.push(row);
  rmSync(out, { force: true });
  log(
    `${file}: ${row.status}; file ${mib(row.bytes)}, ${row.wallSec} s; memprof peak RSS ${mib(row.memprofMaxRssBytes)}, CPU ${row.memprofCpuSec ?? 'not measured'} s; target RSS ${mib(rssBefore)} before, +${mib(row.targetExtraBytes)} while snapshotting`,
  );
}
writeFileSync(OUT + 'capture.json', JSON.stringify(results, null, 2));
if (asJson) process.stdout.write(JSON.stringify(results) + '\n');
if (results.runs.some((r) => r.status !== 'ok')) process.exitCode = 1;
