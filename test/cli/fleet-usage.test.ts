import { describe, expect, it } from 'vitest';
import { memprof } from '../helpers.js';

/** Each refused before anything is attached or started: one line, exit 2, no stack. */
describe('fleet usage errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['--mcp once for two targets', ['profile', '--target', '127.0.0.1:1', '--target', '127.0.0.1:2', '--mcp', 'http://127.0.0.1:3/mcp'], /--mcp was given once for 2 targets/],
    ['--workers without pid:N', ['profile', '--target', '127.0.0.1:1', '--workers'], /--workers needs --target pid:N/],
    ['load with two --mcp', ['load', '--mcp', 'http://a/mcp', '--mcp', 'http://b/mcp'], /load drives one endpoint/],
    ['run with two --mcp and no --workers', ['run', '--mcp', 'http://a/mcp', '--mcp', 'http://b/mcp', '--', 'node', 'x.js'], /unless --workers/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = memprof(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    });
  }
});
