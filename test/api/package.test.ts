import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type RunningFixture } from '../fixtures/fixture-process.js';
import { ROOT, memprof } from '../helpers.js';
import { schemaErrors } from '../docs/validate.js';

/**
 * The package as a user installs it: a project with node_modules/memprof (a link to this
 * repository, built), importing `memprof` by name through package.json `exports`, in JavaScript and
 * in TypeScript (the emitted declarations), and using the API on real snapshots, a real MCP server
 * and a live Node process.
 */

let project: string;
let snapshot: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'memprof-consumer-'));
  mkdirSync(path.join(project, 'node_modules'));
  symlinkSync(ROOT, path.join(project, 'node_modules', 'memprof'), 'dir');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  snapshot = path.join(project, 'classes.heapsnapshot');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'fixtures/heap/classes.mjs'), snapshot], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(project, { recursive: true, force: true });
});

/** Runs an ES module in the consumer project and returns what it printed as JSON. */
function runModule(source: string): unknown {
  const file = path.join(project, `consumer-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    const r = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(file, { force: true });
  }
}

describe("import('memprof')", () => {
  it('resolves through exports in an installed project, and from the package root itself', () => {
    const where = `const m = await import('memprof'); console.log(JSON.stringify({ url: import.meta.resolve('memprof'), version: m.VERSION, names: Object.keys(m).sort() }));`;
    const installed = runModule(where) as { url: string; version: string; names: string[] };
    expect(installed.url).toBe(pathToFileURL(path.join(ROOT, 'dist/index.js')).href);
    expect(installed.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(installed.names).toEqual(expect.arrayContaining(['readSnapshotFile', 'analyzeSnapshot', 'inspectFile', 'diffFiles', 'leaksInFiles', 'runLoad', 'profile', 'connectTarget', 'runProfile', 'evaluateChecks', 'parseConfig', 'capacityPlan']));
    // Node resolves a package's own name through its exports (self-reference).
    const self = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('memprof'); console.log(typeof m.inspectFile)"], { cwd: ROOT, encoding: 'utf8' });
    expect(self.stdout.trim(), self.stderr).toBe('function');
    // Deep imports are closed, except the schemas.
    const deep = runModule(`let closed = false; try { await import('memprof/dist/cli/main.js'); } catch (e) { closed = e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'; }
      const { createRequire } = await import('node:module');
      const schema = createRequire(import.meta.url)('memprof/schema/report.schema.json');
      console.log(JSON.stringify({ closed, id: schema.$id }));`);
    expect(deep).toEqual({ closed: true, id: 'urn:memprof:schema:report@1' });
  });

  it('analyses a snapshot from a file and from bytes, as inspect --json does', () => {
    const out = runModule(`
      import { readFileSync } from 'node:fs';
      import { inspectFile, readSnapshotFile, parseSnapshot, analyzeSnapshot } from 'memprof';
      const file = ${JSON.stringify(snapshot)};
      const fromFile = await inspectFile(file);
      const summary = analyzeSnapshot(await readSnapshotFile(file)).classSummary();
      const fromBytes = analyzeSnapshot(parseSnapshot(readFileSync(file))).classSummary();
      console.log(JSON.stringify({ fromFile, totals: [summary.totalSize, fromBytes.totalSize, summary.classes.length, fromBytes.classes.length] }));`) as {
      fromFile: unknown;
      totals: number[];
    };
    const cli = JSON.parse(memprof(['inspect', snapshot, '--json']).stdout);
    expect(out.fromFile).toEqual(cli);
    expect(out.totals[0]).toBe(cli.totalSize);
    expect(out.totals[1]).toBe(cli.totalSize);
    expect(out.totals[2]).toBe(cli.classes.length);
    expect(out.totals[3]).toBe(cli.classes.length);
  });

  it('diffs and finds leaks in three snapshots of a leaking process, as the CLI does', () => {
    const dir = path.join(project, 'leak');
    mkdirSync(dir);
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(ROOT, 'fixtures/heap/leak-patterns.mjs'), 'closure', dir], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const [b, t, f] = ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`));
    const out = runModule(`
      import { diffFiles, leaksInFiles } from 'memprof';
      console.log(JSON.stringify({ diff: await diffFiles(${JSON.stringify(b)}, ${JSON.stringify(f)}), leaks: await leaksInFiles(${JSON.stringify(b)}, ${JSON.stringify(t)}, ${JSON.stringify(f)}) }));`) as {
      diff: { sameProcess: boolean };
      leaks: { leaks: Array<{ name: string; count: number }> };
    };
    expect(out.diff).toEqual(JSON.parse(memprof(['diff', b, f, '--json']).stdout));
    expect(out.leaks).toEqual(JSON.parse(memprof(['leaks', b, t, f, '--json']).stdout));
    expect(out.diff.sameProcess).toBe(true);
    expect(out.leaks.leaks.length).toBeGreaterThan(0);
  });

  it('evaluates checks and plans capacity on a report', () => {
    const out = runModule(`
      import { readFileSync } from 'node:fs';
      import { evaluateChecks, parseConfig, defaultConfig, capacityPlan } from 'memprof';
      const report = JSON.parse(readFileSync(${JSON.stringify(path.join(ROOT, 'fixtures/reports/report.json'))}, 'utf8'));
      const config = parseConfig(JSON.parse(readFileSync(${JSON.stringify(path.join(ROOT, 'fixtures/reports/memprof.config.json'))}, 'utf8')), 'memprof.config.json');
      const results = evaluateChecks(report, config);
      const plan = capacityPlan(report, { ramBytes: 16 * 1024 ** 3 });
      console.log(JSON.stringify({ results, defaults: evaluateChecks(report, defaultConfig()).length, plan }));`) as { results: unknown[]; defaults: number; plan: unknown };
    const cli = JSON.parse(memprof(['check', 'fixtures/reports/report.json', '--config', 'fixtures/reports/memprof.config.json', '--json']).stdout);
    expect(out.results).toEqual(cli.results);
    expect(out.defaults).toBeGreaterThanOrEqual(5);
    expect(out.plan).toEqual(JSON.parse(memprof(['plan', 'fixtures/reports/report.json', '--ram', '16GiB', '--json']).stdout));
  });

  it('runs MCP load against a real server', async () => {
    let f: RunningFixture | undefined;
    try {
      f = await startFixture('clean');
      const out = runModule(`
        import { runLoad } from 'memprof';
        const s = await runLoad({ url: ${JSON.stringify(f.url)}, ramp: [2, 4], msgRate: 5, holdMs: 300, lifetimeMs: 5000 });
        console.log(JSON.stringify(s));`) as { sessionsOpened: number; sessionsClosed: number; steps: Array<{ connections: number }> };
      expect(out).toMatchObject({ sessionsOpened: 4, sessionsClosed: 4 });
      expect(out.steps.map((s) => s.connections)).toEqual([2, 4]);
      expect((await f.status()).sessionsOpened).toBe(4);
    } finally {
      await f?.stop();
    }
  });

  it('profiles a live Node process: profile() returns the report and writes it', async () => {
    const target = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(ROOT, 'fixtures/targets/idle.cjs')], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(target);
    const ws = await new Promise<string>((resolve, reject) => {
      let err = '';
      target.stderr!.on('data', (c) => {
        err += c;
        const m = /Debugger listening on (ws:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      target.once('exit', () => reject(new Error(err)));
    });
    const out = path.join(project, 'prof');
    const result = runModule(`
      import { profile } from 'memprof';
      const lines = [];
      const r = await profile(${JSON.stringify(ws)}, { out: ${JSON.stringify(out)}, duration: 1500, interval: 250 }, { onProgress: (l) => lines.push(l) });
      console.log(JSON.stringify({ ...r, lines }));`) as { report: { target: { pid: number }; pools: Array<{ name: string }> }; reportPath: string; ended: string; failure: null; checksFailed: boolean };
    expect(result.ended).toBe('complete');
    expect(result.failure).toBeNull();
    expect(result.report.target.pid).toBe(target.pid);
    expect(result.report.pools.map((p) => p.name)).toEqual(['buffers']);
    expect(schemaErrors('report', result.report)).toEqual([]);
    expect(JSON.parse(readFileSync(result.reportPath, 'utf8'))).toEqual(result.report);
    // Bad settings fail as the CLI's flags do.
    const bad = spawnSync(process.execPath, ['--input-type=module', '-e', `import { profile } from 'memprof'; await profile(${JSON.stringify(ws)}, { out: ${JSON.stringify(out)}, warmup: true }).catch((e) => { console.log(JSON.stringify({ name: e.name, code: e.exitCode, message: e.message })); });`], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(bad.stdout)).toEqual({ name: 'MemprofError', code: 2, message: '--warmup opens MCP sessions and needs --mcp URL' });
  }, 60_000);

  it('types: a TypeScript project compiles against the emitted declarations', () => {
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts'] }),
    );
    writeFileSync(
      path.join(project, 'use.ts'),
      [
        "import { inspectFile, evaluateChecks, defaultConfig, profile, type Report, type InspectOutput, type CheckResult, type ProfileSettings } from 'memprof';",
        'export async function main(file: string, report: Report): Promise<number> {',
        '  const out: InspectOutput = await inspectFile(file);',
        '  const rows: CheckResult[] = evaluateChecks(report, defaultConfig());',
        "  const settings: ProfileSettings = { out: 'prof', mcp: 'http://127.0.0.1:3000/mcp', ramp: [10, 20], hold: 5000 };",
        "  const r = await profile('127.0.0.1:9229', settings);",
        '  const marginal: number | null | undefined = report.connections?.marginalBytesPerConnection;',
        '  return out.classes.length + rows.length + r.report.checks.length + (marginal ?? 0);',
        '}',
        '// @ts-expect-error: not part of the API',
        "export { buildProgram } from 'memprof';",
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
