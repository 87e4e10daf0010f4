import { describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';
import { sampleReport, tempFilesPerTest } from '../report/sample-report.js';

const files = tempFilesPerTest();

describe('memprof plan', () => {
  it('prints capacity, redundancy and monthly cost with units and assumptions', () => {
    const t = files({ 'report.json': sampleReport() });
    const r = memprof(['plan', 'report.json', '--ram', '16GiB', '--price', '0.50', '--connections', '1000000'], { cwd: t.dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('basis RSS, fitted over 3 steps');
    expect(r.stdout).toContain('marginal   60.0 KiB per connection');
    expect(r.stdout).toContain('reserve    1.6 GiB (default: 10% of RAM, at least 1 GiB; 10% here)');
    expect(r.stdout).toMatch(/capacity +250,292 connections = \(usable − fixed\) \/ marginal/);
    expect(r.stdout).toContain('0.50 per hour = 365.00 per month (730 h)');
    expect(r.stdout).toMatch(/none +4 +250,000 +14\.4 GiB +99\.9 % +1,460\.00/);
    expect(r.stdout).toMatch(/N\+1 .* +5 +200,000 .* +1,825\.00/);
    expect(r.stdout).toMatch(/1:1 .* +8 +125,000 .* +2,920\.00/);
    expect(r.stdout).toContain('730 hours per month');
  });

  it('--json gives the plan as data, and --reserve takes a percentage', () => {
    const t = files({ 'report.json': sampleReport() });
    const r = memprof(['plan', 'report.json', '--ram', '10GiB', '--reserve', '25%', '--json'], { cwd: t.dir });
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ schema: 'memprof/plan@1', basis: 'rss', usableBytes: 7.5 * 1024 ** 3, connections: null, deployments: null, hoursPerMonth: 730 });
    expect(plan.connectionsPerInstance).toBe(Math.floor((7.5 * 1024 ** 3 - plan.fixedBytes) / plan.marginalBytesPerConnection));
  });

  const bad: Array<[string, unknown, string[], RegExp]> = [
    ['a report without connections', sampleReport((r) => delete r.connections), ['--ram', '8GiB'], /no connections section.*--mcp/],
    ['a bad --ram', sampleReport(), ['--ram', '8 lightyears'], /invalid --ram '8 lightyears'/],
    ['a bad --price', sampleReport(), ['--ram', '8GiB', '--price', 'cheap'], /invalid --price 'cheap'/],
    ['a reserve bigger than RAM', sampleReport(), ['--ram', '1GiB', '--reserve', '2GiB'], /leaves no usable memory/],
  ];
  for (const [what, report, args, message] of bad) {
    it(`refuses ${what} with exit 2 and one line`, () => {
      const t = files({ 'report.json': report });
      const r = memprof(['plan', 'report.json', ...args], { cwd: t.dir });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
