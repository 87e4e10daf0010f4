import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addLoadOptions } from '../../src/cli/load-options.js';
import { toLoadOptions, type LoadFlags } from '../../src/options/load-flags.js';
import { addProfileOptions } from '../../src/cli/profile-options.js';
import type { ProfileFlags } from '../../src/options/profile-flags.js';
import { profileOptionsFromFlags } from '../../src/profile/options.js';

/** The flags commander gives the action for these arguments. */
function parse<T>(add: (c: Command) => Command, args: string[]): T {
  const cmd = add(new Command('x').exitOverride());
  cmd.parse(args, { from: 'user' });
  return cmd.opts() as T;
}

const LOAD_ARGS = [
  '--mcp', 'http://127.0.0.1:3000/mcp', '--ramp', '10,20', '--rate', '50', '--msg-rate', '0.5', '--hold', '3s',
  '--churn', '--churn-rate', '4', '--lifetime', '2s', '--concurrency', '8', '--header', 'Authorization: Bearer T',
  '--header', 'X-Tenant: a', '--request-timeout', '7s', '--sse',
];

describe('profileOptionsFromFlags', () => {
  it('maps the load flags exactly as `load` does (one mapping: toLoadOptions)', () => {
    const profileFlags = parse<ProfileFlags>(addProfileOptions, LOAD_ARGS);
    const loadFlags = parse<LoadFlags & { mcp: string }>(addLoadOptions, LOAD_ARGS);
    const fromProfile = profileOptionsFromFlags(profileFlags, profileFlags.mcp).load;
    const { signal, ...fromLoad } = toLoadOptions(loadFlags);
    expect(signal).toBeUndefined();
    expect(fromProfile).toEqual(fromLoad);
    expect(fromProfile).toMatchObject({
      concurrency: 8,
      timeoutMs: 7000,
      headers: { authorization: 'Bearer T', 'x-tenant': 'a' },
      churnRate: 4,
      lifetimeMs: 2000,
    });
  });

  it('refuses load flags without --mcp, the new ones included', () => {
    for (const args of [['--concurrency', '8'], ['--header', 'A: b'], ['--request-timeout', '3s'], ['--ramp', '1,2']]) {
      const flags = parse<ProfileFlags>(addProfileOptions, args);
      expect(() => profileOptionsFromFlags(flags, undefined)).toThrow(/needs --mcp URL/);
    }
  });

  it('applies load’s own rules: --churn needs --hold', () => {
    const flags = parse<ProfileFlags>(addProfileOptions, ['--mcp', 'http://127.0.0.1:3000/mcp', '--churn']);
    expect(() => profileOptionsFromFlags(flags, flags.mcp)).toThrow(/--churn needs --hold/);
  });
});

describe('--sampling', () => {
  const MCP = ['--mcp', 'http://127.0.0.1:3000/mcp', '--ramp', '10', '--hold', '3s'];
  const of = (args: string[]) => {
    const flags = parse<ProfileFlags>(addProfileOptions, args);
    return profileOptionsFromFlags(flags, flags.mcp);
  };
  it('is by default auto (on when no full snapshot is taken), on with --sampling, off with --no-sampling; the interval is a size', () => {
    expect(of(MCP)).toMatchObject({ sampling: 'auto', samplingIntervalBytes: undefined });
    expect(of([...MCP, '--sampling', '--sampling-interval', '64KiB'])).toMatchObject({ sampling: 'on', samplingIntervalBytes: 65536 });
    expect(of([...MCP, '--no-sampling'])).toMatchObject({ sampling: 'off' });
  });
  it('refuses --sampling without --mcp and an interval under 1 KiB', () => {
    expect(() => of(['--sampling', '--duration', '5s'])).toThrow(/--sampling .* needs --mcp URL/);
    expect(() => of([...MCP, '--sampling-interval', '100'])).toThrow(/invalid --sampling-interval: use at least 1KiB/);
  });
});
