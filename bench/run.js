// `npm run bench`: installs the peers (bench/package.json, kept apart from the root package so
// CI stays fast) if needed, then runs every bench/*.bench.js in order, each as its own process
// with this script's arguments. A bench that writes bench/out/<name>.json has it collected into
// bench/out/results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = dirname(fileURLToPath(import.meta.url));
const OUT = join(BENCH, 'out');
mkdirSync(OUT, { recursive: true });

if (!existsSync(join(BENCH, 'node_modules'))) {
  console.log('installing benchmark peers (npm ci --prefix bench) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', BENCH, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    // memlab pulls in puppeteer; reading snapshots needs no browser.
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  if (r.status !== 0) {
    console.error('bench: installing the peers failed');
    process.exit(r.status ?? 1);
  }
}

// Benches too long for every run (soak: 30 minutes) run only when named: `npm run bench -- soak`.
// A first argument naming a bench runs that one alone; the rest are passed on to it.
const ON_REQUEST = new Set(['soak']);
const named = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : null;
const benches = readdirSync(BENCH)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => (named ? f === `${named}.bench.js` : !ON_REQUEST.has(f.replace(/\.bench\.js$/, ''))))
  .sort();
if (named && benches.length === 0) {
  console.error(`bench: no bench/${named}.bench.js`);
  process.exit(2);
}
const results = { date: new Date().toISOString(), node: process.version, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemBytes: totalmem() }, benches: {} };
let failed = false;
for (const file of benches) {
  const name = file.replace(/\.bench\.js$/, '');
  const out = join(OUT, `${name}.json`);
  rmSync(out, { force: true });
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, [join(BENCH, file), ...process.argv.slice(named ? 3 : 2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed = true;
    console.error(`bench: ${file} exited with ${r.status ?? r.signal}`);
  }
  results.benches[name] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { error: `no results (exit ${r.status ?? r.signal})` };
}
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nresults: ${join(OUT, 'results.json')}`);
process.exitCode = failed ? 1 : 0;
