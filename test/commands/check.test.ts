import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';
import { sampleReport, tempFilesPerTest } from '../report/sample-report.js';
import { all, parseXml } from '../report/xml.js';

const MiB = 1024 * 1024;
const files = tempFilesPerTest();
// Neither the developer's nor CI's environment may leak into what is asserted.
const env = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

beforeAll(() => {
  expect(existsSync(new URL('../../dist/commands/check.js', import.meta.url)), 'run npx tsc -p tsconfig.json first').toBe(true);
});

describe('memprof check', () => {
  it('exits 0 and prints a ✓ table when every default check passes', () => {
    const t = files({ 'report.json': sampleReport() });
    const r = memprof(['check', t.path('report.json')], { cwd: t.dir, env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('checks: built-in defaults');
    expect(r.stdout).toMatch(/✓ +connections\.marginalBytesPerConnection +30\.0 KiB +< 2\.0 MiB/);
    expect(r.stdout).toMatch(/✓ +pools\[sessions\]\.reuseRatio +90\.0 % +> 85\.0 %/);
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain('6 checks: 6 passed, 0 failed — all pass');
  });

  it('exits 1 on a failed check, and a null figure fails with its reason', () => {
    const report = sampleReport((r) => {
      r.gc.major = { count: 0, avgMs: null, p99Ms: null, maxMs: null };
      r.notes = { 'gc.major.maxMs': 'no major GC (mark-compact) during the run' };
    });
    const t = files({ 'report.json': report });
    const r = memprof(['check', 'report.json'], { cwd: t.dir, env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✗ +gc\.major\.maxMs +not measured +< 100\.0 ms +not measured: no major GC \(mark-compact\) during the run/);
  });

  it('exits 1 on an inconclusive check, and says "inconclusive" in the table, the JSON and the JUnit', () => {
    const noisy = sampleReport((r) => {
      r.growth.steadyBytesPerHour = 0.4 * MiB;
      r.growth.steadyFit!.stdErrBytesPerHour = 0.5 * MiB;
    });
    const t = files({ 'report.json': noisy });
    const r = memprof(['check', 'report.json', '--junit', 'junit.xml'], { cwd: t.dir, env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\? +growth\.steadyBytesPerHour +409\.6 KiB\/h ± 1\.0 MiB\/h \(2σ\) +< 1\.0 MiB\/h +inconclusive: a hold of about \d+ s decides at this noise/);
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain('6 checks: 5 passed, 0 failed, 1 inconclusive (not a pass: hold longer)');
    const failure = all(parseXml(readFileSync(t.path('junit.xml'), 'utf8')), 'failure');
    expect(failure.map((f) => f.attrs.type)).toEqual(['inconclusive']);
    const json = JSON.parse(memprof(['check', 'report.json', '--json'], { cwd: t.dir, env }).stdout);
    expect(json.pass).toBe(false);
    expect(json.results.find((x: { id: string }) => x.id === 'growth.steadyBytesPerHour')).toMatchObject({ status: 'inconclusive', pass: false });
  });

  it('shows an absent section as not applicable and exits 0, unless the config requires it', () => {
    const report = sampleReport((r) => {
      delete r.connections;
      delete r.load;
    });
    const t = files({ 'report.json': report, 'strict.json': { required: ['connections.marginalBytesPerConnection'] } });
    const r = memprof(['check', 'report.json'], { cwd: t.dir, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/– +connections\.marginalBytesPerConnection +n\/a/);
    const strict = memprof(['check', 'report.json', '--config', 'strict.json'], { cwd: t.dir, env });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('checks: strict.json');
    expect(strict.stdout).toMatch(/✗ +connections\.marginalBytesPerConnection +not measured .*required, but/);
  });

  it('reads memprof.config.json from the working directory', () => {
    const t = files({ 'report.json': sampleReport(), 'memprof.config.json': { checks: { 'gc.minor.maxMs': '< 1ms' } } });
    const r = memprof(['check', 'report.json'], { cwd: t.dir, env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('checks: memprof.config.json');
    expect(r.stdout).toMatch(/✗ +gc\.minor\.maxMs +4\.5 ms +< 1\.0 ms/);
    expect(r.stdout).toContain('1 check: 0 passed, 1 failed');
  });

  it('--baseline fails on a regression beyond the tolerance, in the direction of each check', () => {
    const base = sampleReport();
    const t = files({
      'base.json': base,
      'worse.json': sampleReport((r) => (r.connections!.marginalBytesPerConnection = 30 * 1024 * 1.2)),
      'lower-reuse.json': sampleReport((r) => (r.pools[1].reuseRatio = 0.9)),
      'better.json': sampleReport((r) => {
        r.connections!.marginalBytesPerConnection = 10 * 1024;
        r.pools[1].reuseRatio = 1;
      }),
    });
    const worse = memprof(['check', 'worse.json', '--baseline', 'base.json'], { cwd: t.dir, env });
    expect(worse.status).toBe(1);
    expect(worse.stdout).toMatch(/✓ +connections\.marginalBytesPerConnection +36\.0 KiB/);
    expect(worse.stdout).toMatch(/✗ +connections\.marginalBytesPerConnection vs baseline +36\.0 KiB +<= 31\.5 KiB \(baseline 30\.0 KiB \+ 5%\) +regressed/);
    const lower = memprof(['check', 'lower-reuse.json', '--baseline', 'base.json'], { cwd: t.dir, env });
    expect(lower.status).toBe(1);
    expect(lower.stdout).toMatch(/✗ +pools\[buffers\]\.reuseRatio vs baseline/);
    const better = memprof(['check', 'better.json', '--baseline', 'base.json'], { cwd: t.dir, env });
    expect(better.status).toBe(0);
    expect(better.stdout).not.toContain('✗');
  });

  it('--json prints machine output only', () => {
    const t = files({ 'report.json': sampleReport((r) => (r.leaks = [{ name: 'Session', count: 3, retainedSize: 3000, growthBytes: 3000, path: [] }])) });
    const r = memprof(['check', 'report.json', '--json'], { cwd: t.dir, env });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schema: 'memprof/check@1', pass: false, config: 'built-in defaults' });
    expect(out.results.find((x: { id: string }) => x.id === 'leaks.length')).toMatchObject({ measured: 1, pass: false, status: 'fail', limit: '== 0' });
  });

  it('--junit writes well-formed XML: one testcase per check, failures and skips counted', () => {
    const weird = 'pool <&> "quoted" \'x\' \u0001';
    const t = files({
      'report.json': sampleReport((r) => {
        r.pools.push({ name: weird, created: 9, reused: 1, reuseRatio: 0.1, peakInUse: 1 });
        delete r.leaks;
      }),
    });
    const r = memprof(['check', 'report.json', '--baseline', 'report.json', '--junit', 'out/junit.xml'], { cwd: t.dir, env });
    expect(r.status).toBe(2); // out/ does not exist: bad output path is bad input
    expect(r.stderr).toMatch(/^memprof: cannot write --junit file '.*out\/junit\.xml'/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);

    const ok = memprof(['check', 'report.json', '--baseline', 'report.json', '--junit', 'junit.xml'], { cwd: t.dir, env });
    expect(ok.status).toBe(1);
    const doc = parseXml(readFileSync(t.path('junit.xml'), 'utf8'));
    const [suite] = all(doc, 'testsuite');
    const cases = all(doc, 'testcase');
    // 7 limit rows (3 pools) + 6 baseline rows (none for leaks.length: absent, and == has no direction)
    // + 3 load figures every baseline comparison includes.
    expect(cases).toHaveLength(Number(suite.attrs.tests));
    expect(cases.length).toBe(16);
    expect(suite.attrs.failures).toBe('1');
    expect(suite.attrs.skipped).toBe('1');
    const failed = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(failed.map((c) => c.attrs.name)).toEqual([`pools[pool <&> "quoted" 'x' \uFFFD].reuseRatio`]);
    expect(failed[0].children[0].attrs.message).toBe('10.0 % is not > 85.0 %');
    expect(cases.find((c) => c.attrs.name === 'leaks.length')!.children[0].name).toBe('skipped');
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--markdown writes a table, appends it to $GITHUB_STEP_SUMMARY, and annotates failures under GitHub Actions', () => {
    const t = files({ 'report.json': sampleReport((r) => (r.growth.steadyBytesPerHour = 3 * MiB)), 'summary.md': '# earlier step\n' });
    const r = memprof(['check', 'report.json', '--markdown', 'check.md'], {
      cwd: t.dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: t.path('summary.md') },
    });
    expect(r.status).toBe(1);
    const md = readFileSync(t.path('check.md'), 'utf8');
    expect(md).toContain('| ❌ | `growth.steadyBytesPerHour` | 3.0 MiB/h ± 409.6 KiB/h (2σ) | &lt; 1.0 MiB/h | 3.0 MiB/h is not &lt; 1.0 MiB/h |');
    expect(md).toContain('❌ 1 of 6 failed');
    const summary = readFileSync(t.path('summary.md'), 'utf8');
    expect(summary.startsWith('# earlier step\n')).toBe(true);
    expect(summary).toContain(md);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toEqual([
      '::error title=memprof check%3A growth.steadyBytesPerHour::3.0 MiB/h is not < 1.0 MiB/h (measured 3.0 MiB/h ± 409.6 KiB/h (2σ), limit < 1.0 MiB/h)',
    ]);
    // Under --json, stdout stays pure JSON; the annotations go to stderr.
    const json = memprof(['check', 'report.json', '--json'], { cwd: t.dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' } });
    expect(JSON.parse(json.stdout).pass).toBe(false);
    expect(json.stderr).toMatch(/^::error title=memprof check%3A growth\.steadyBytesPerHour::/);
    const quiet = memprof(['check', 'report.json'], { cwd: t.dir, env });
    expect(quiet.stdout).not.toContain('::error');
  });

  describe('bad input exits 2 with one line on stderr', () => {
    const cases: Array<[string, Record<string, unknown>, string[], RegExp]> = [
      ['a missing report', {}, ['check', 'nope.json'], /cannot read report 'nope\.json': no such file/],
      ['a report that is not JSON', { 'r.json': '{"schema": ' }, ['check', 'r.json'], /report 'r\.json' is not valid JSON/],
      ['another schema', { 'r.json': { schema: 'memprof/inspect@1' } }, ['check', 'r.json'], /not a memprof report \(schema "memprof\/inspect@1"/],
      ['a missing baseline', { 'r.json': sampleReport() }, ['check', 'r.json', '--baseline', 'b.json'], /cannot read baseline 'b\.json'/],
      ['an unknown config key', { 'r.json': sampleReport(), 'c.json': { check: {} } }, ['check', 'r.json', '--config', 'c.json'], /c\.json: unknown key 'check'/],
      ['a bad unit', { 'r.json': sampleReport(), 'c.json': { checks: { 'gc.major.maxMs': '< 2MiB' } } }, ['check', 'r.json', '--config', 'c.json'], /c\.json: checks\."gc\.major\.maxMs": unit 'MiB'/],
      ['a typo in a path', { 'r.json': sampleReport(), 'c.json': { checks: { 'growth.steadyBytesPerHr': '< 1MiB' } } }, ['check', 'r.json', '--config', 'c.json'], /checks\."growth\.steadyBytesPerHr".*typo/],
      ['a config that is not JSON', { 'r.json': sampleReport(), 'c.json': 'checks: 1' }, ['check', 'r.json', '--config', 'c.json'], /config 'c\.json' is not valid JSON/],
    ];
    for (const [what, f, args, message] of cases) {
      it(what, () => {
        const t = files(f);
        const r = memprof(args, { cwd: t.dir, env });
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^memprof: /);
        expect(lines[0]).toMatch(message);
      });
    }
  });

  it('writes nothing when the input is bad', () => {
    const t = files({ 'c.json': { checks: { 'x.y': 'oops' } } });
    writeFileSync(t.path('r.json'), JSON.stringify(sampleReport()));
    const r = memprof(['check', 'r.json', '--config', 'c.json', '--junit', 'j.xml', '--markdown', 'm.md'], { cwd: t.dir, env });
    expect(r.status).toBe(2);
    expect(existsSync(t.path('j.xml'))).toBe(false);
    expect(existsSync(t.path('m.md'))).toBe(false);
  });
});
