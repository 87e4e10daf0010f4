import { describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';

describe('cli usage errors', () => {
  it('prints help and exits 0', () => {
    const r = memprof(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: memprof/);
  });
  it('rejects an unknown command with one line and exit 2', () => {
    const r = memprof(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
  it("keeps commander's suggestion for a mistyped command or option, on the one line", () => {
    const cmd = memprof(['lod']);
    expect([cmd.status, cmd.stderr]).toEqual([2, "memprof: unknown command 'lod' (Did you mean load?) (see memprof --help)\n"]);
    const opt = memprof(['load', '--mpc', 'http://127.0.0.1:1/mcp']);
    expect([opt.status, opt.stderr]).toEqual([2, "memprof: unknown option '--mpc' (Did you mean --mcp?) (see memprof --help)\n"]);
  });
  it('help groups the options, shows the -- before CMD, the exit codes and examples', () => {
    const run = memprof(['run', '--help']).stdout;
    expect(run).toMatch(/^Usage: memprof run \[options\] -- <cmd\.\.\.>/);
    expect(run.indexOf('MCP load options:')).toBeLessThan(run.indexOf('Measurement options:'));
    expect(run.indexOf('Measurement options:')).toBeLessThan(run.indexOf('Output options:'));
    const top = memprof(['--help']).stdout;
    expect(top).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}130 /);
    expect(top).toMatch(/Examples:\n {2}memprof run /);
  });
  it('rejects a bad flag value with one line and exit 2', () => {
    const r = memprof(['inspect', 'x.heapsnapshot', '--top', 'many']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--top/);
  });
});
