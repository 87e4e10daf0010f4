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
  it('rejects a bad flag value with one line and exit 2', () => {
    const r = memprof(['inspect', 'x.heapsnapshot', '--top', 'many']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--top/);
  });
});
