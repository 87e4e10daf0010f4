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

const benches = readdirSync(BENCH)
  .filter((f) => f.endsWith('.bench.js'))
  .sort();
const results = { date: new Date().toISOString(), node: process.version, machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemBytes: totalmem() }, benches: {} };
let failed = false;
for (const file of benches) {
  const name = file.replace(/\.bench\.js$/, '');
  const out = join(OUT, `${name}.json`);
  rmSync(out, { force: true });
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, [join(BENCH, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed = true;
    console.error(`bench: ${file} exited with ${r.status ?? r.signal}`);
  }
  results.benches[name] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { error: `no results (exit ${r.status ?? r.signal})` };
}
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nresults: ${join(OUT, 'results.json')}`);
process.exitCode = failed ? 1 : 0;
