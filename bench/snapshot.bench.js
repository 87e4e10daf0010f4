// Heap snapshot benchmark: memprof against VS Code's parser, DevTools' code and memlab, each
// doing "load + class summary with retained sizes" on the same generated snapshot, each in its
// own process. Measures CPU time (user + system) and peak RSS, prints a table and the ratios,
// and writes bench/out/snapshot.json.
//
//   node bench/snapshot.bench.js [--scale X | --objects N] [--snapshot FILE] [--tools a,b]
//   BENCH_SCALE=2.2 npm run bench      # ~746 MB snapshot instead of ~337 MB
//
// The snapshot is cached in bench/out/ (generating it takes minutes).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { canMeasure, measure } from './lib/measure.js';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const OUT = join(BENCH, 'out');
const TOOLS = join(BENCH, 'tools');

const { values: opts } = parseArgs({
  options: {
    scale: { type: 'string' },
    objects: { type: 'string' },
    snapshot: { type: 'string' },
    tools: { type: 'string' },
    'timeout-min': { type: 'string' },
  },
  allowPositionals: true,
  strict: false,
});

const scale = Number(opts.scale ?? process.env.BENCH_SCALE ?? 1);
const objects = Math.round(Number(opts.objects ?? process.env.BENCH_OBJECTS ?? scale * 1_000_000));
const wanted = (opts.tools ?? process.env.BENCH_TOOLS ?? 'memprof,vscode,devtools,memlab').split(',').map((s) => s.trim());
const timeoutMs = Number(opts['timeout-min'] ?? process.env.BENCH_TIMEOUT_MIN ?? 20) * 60_000;

mkdirSync(OUT, { recursive: true });
// The name carries the generator's shape version, so a changed shape is never mixed up with a cached file.
const file = opts.snapshot ?? join(OUT, `bench-v2-${objects}.heapsnapshot`);
if (!existsSync(file)) await generate(file, objects);
const bytes = statSync(file).size;
console.log(`\nheap snapshot benchmark: ${file} (${mb(bytes)}, ${objects.toLocaleString('en')} objects in a Map)`);
if (!canMeasure) console.log('note: /usr/bin/time not found: CPU time and peak RSS are not measured');

const memprofAnalysis = existsSync(join(ROOT, 'dist/snapshot/analyze.js'));
const inspectJson = join(OUT, 'memprof-inspect.json');
const tools = {
  memprof: memprofAnalysis
    ? { label: 'memprof inspect --json', args: [join(ROOT, 'bin/memprof.js'), 'inspect', file, '--json'], stdoutFile: inspectJson }
    : { label: 'memprof (parse only)', args: [join(TOOLS, 'memprof-parse.js'), file] },
  vscode: { label: '@vscode/v8-heap-parser', args: [join(TOOLS, 'vscode.js'), file] },
  devtools: { label: 'DevTools (heap-snapshot-toolkit)', args: [join(TOOLS, 'devtools.js'), file] },
  memlab: { label: '@memlab/heap-analysis', args: [join(TOOLS, 'memlab.js'), file] },
};

const results = [];
for (const name of wanted) {
  const tool = tools[name];
  if (!tool) throw new Error(`unknown tool ${name} (known: ${Object.keys(tools).join(', ')})`);
  process.stdout.write(`  running ${tool.label} ... `);
  const r = await measure(process.execPath, tool.args, { cwd: ROOT, timeoutMs, stdoutFile: tool.stdoutFile });
  const summary = r.ok ? summarize(name, r, tool) : null;
  console.log(r.ok ? `${r.cpuSec ?? '?'} s CPU, ${mb(r.maxRssBytes)}` : `${r.status}: ${r.error ?? ''}`);
  results.push({ tool: name, label: tool.label, ...r, stdout: undefined, summary });
}

const table = new Table({ head: ['tool', 'result', 'CPU s', 'wall s', 'peak RSS', 'classes', 'largest class (retained)'], style: { head: [], border: [] } });
for (const r of results) {
  table.push([
    r.label,
    r.status,
    r.cpuSec ?? 'not measured',
    r.wallSec,
    r.maxRssBytes === null ? 'not measured' : mb(r.maxRssBytes),
    r.summary?.classes ?? '',
    r.summary?.top ? `${r.summary.top.name} ${mb(r.summary.top.retainedSize)}` : '',
  ]);
}
console.log(table.toString());

const mine = results.find((r) => r.tool === 'memprof');
const ratios = {};
if (mine?.ok) {
  for (const peer of results.filter((r) => r.tool !== 'memprof')) {
    const cpu = peer.ok && mine.cpuSec !== null && peer.cpuSec ? round(mine.cpuSec / peer.cpuSec) : null;
    const rss = peer.ok && mine.maxRssBytes !== null && peer.maxRssBytes ? round(mine.maxRssBytes / peer.maxRssBytes) : null;
    ratios[peer.tool] = { cpu, rss, peerStatus: peer.status };
    console.log(
      peer.ok
        ? `  memprof vs ${peer.label}: ${cpu ?? 'not measured'}× the CPU time, ${rss ?? 'not measured'}× the peak RSS`
        : `  ${peer.label}: ${peer.status} (${peer.error ?? 'no message'}); memprof: ${mine.status}`,
    );
  }
}

// snapshot.json is what run.js collects; the copy named by size keeps a 746 MB run next to the default one.
const report = JSON.stringify({ snapshot: { file, bytes, objects }, node: process.version, results, ratios }, null, 2) + '\n';
writeFileSync(join(OUT, 'snapshot.json'), report);
writeFileSync(join(OUT, `snapshot-${objects}.json`), report);

async function generate(path, count) {
  console.log(`generating a snapshot of ${count.toLocaleString('en')} objects (takes a few minutes) ...`);
  const tmp = `${path}.partial`;
  rmSync(tmp, { force: true });
  const r = await measure(process.execPath, ['--max-old-space-size=16384', join(TOOLS, 'gen-snapshot.js'), tmp, String(count)], { cwd: ROOT, timeoutMs: 60 * 60_000 });
  if (!r.ok) throw new Error(`generating the snapshot failed: ${r.status} ${r.error ?? ''}`);
  renameSync(tmp, path);
}

/** What each tool found, to show they did the same work (class count and the largest class). */
function summarize(name, r, tool) {
  try {
    if (tool.stdoutFile) {
      const report = JSON.parse(readFileSync(tool.stdoutFile, 'utf8'));
      const top = [...report.classes].sort((a, b) => b.retainedSize - a.retainedSize)[0];
      return { classes: report.classes.length, top: top ? { name: top.name, retainedSize: top.retainedSize } : null };
    }
    const line = r.stdout.trim().split('\n').pop();
    const parsed = JSON.parse(line);
    return name === 'memprof' ? { classes: null, top: null, ...parsed } : parsed;
  } catch {
    return null;
  }
}

function mb(n) {
  return n === null || n === undefined ? 'not measured' : `${(n / 1e6).toFixed(0)} MB`;
}

function round(x) {
  return Math.round(x * 100) / 100;
}
