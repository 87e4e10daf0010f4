import { fileURLToPath } from 'node:url';
import type { ProfileFlags } from '../options/profile-flags.js';
import { runAndProfile } from './run.js';

/** The bundled fixture: a real MCP server on the official SDK, with a session-state pool it publishes. */
export const DEMO_FIXTURE = fileURLToPath(new URL('../../fixtures/mcp-server.mjs', import.meta.url));

/**
 * The demo scenario: what `memprof run` is given, sized for a 2-core machine (about a minute and
 * a quarter). The hold is point 8's 60 s: its settled window of about 45 s decides a clean server's
 * growth against the 1 MiB/h limit (a 45 s hold left a 30 s window whose band came within 0.1 MiB/h
 * of it).
 * It is the scenario a CI job would run, with the defaults doing the work: a warm-up (on by default),
 * three ramp steps for the per-connection fit with tool traffic, a hold with churn (sessions
 * replaced, so the pool really hands out released state) whose settled window measures steady
 * growth from still points, and the default snapshots (before the load, the window's start,
 * middle and end, after the sessions closed) for retained size per session and both leak methods.
 * The checklist is the built-in one, not tuned: the clean pooled fixture passes it because it is
 * clean, and `--leaky` (closed sessions archived) fails it with the leak named.
 */
export function demoFlags(out: string): ProfileFlags {
  return {
    mcp: 'http://127.0.0.1:0/mcp',
    ramp: [100, 200, 300],
    msgRate: 0.5,
    hold: 60_000,
    churn: true,
    churnRate: 20,
    lifetime: 5_000,
    interval: 1000,
    out,
    startupTimeout: 30_000,
  };
}

export function demoCommandLine(leaky = false): string[] {
  return [process.execPath, DEMO_FIXTURE, '--mode', leaky ? 'leaky' : 'pooled'];
}

/** The bundled stdio fixture: one McpServer on the SDK's StdioServerTransport. */
export const DEMO_STDIO_FIXTURE = fileURLToPath(new URL('../../fixtures/mcp-stdio-server.mjs', import.meta.url));

/**
 * `demo --stdio`: the documented stdio scenario (`run --stdio --msg-rate 50 --hold 60s`), the
 * rest by default: a warm-up of tool calls, the settled window's still points and snapshots, the
 * built-in checklist. The clean fixture passes it; `--leaky` (every request kept in a
 * module-level history) fails with the leak named and its bytes per request.
 */
export function demoStdioFlags(out: string): ProfileFlags {
  return { stdio: true, msgRate: 50, hold: 60_000, lifetime: 5_000, interval: 1000, out, startupTimeout: 30_000 };
}

export function demoStdioCommandLine(leaky = false): string[] {
  return [process.execPath, DEMO_STDIO_FIXTURE, '--mode', leaky ? 'leaky' : 'clean'];
}

/** `memprof demo`: the whole job on the bundled fixture; exit code = the checklist's. */
export async function demoCommand(opts: { out: string; leaky?: boolean; stdio?: boolean }): Promise<number> {
  if (opts.stdio) {
    const flags = demoStdioFlags(opts.out);
    const mode = opts.leaky ? 'leaky mode: every request kept in a module-level history' : 'clean mode';
    process.stderr.write(
      `memprof: demo: starting the bundled MCP stdio server (${DEMO_STDIO_FIXTURE}, ${mode}): warm-up, then ${flags.hold! / 1000} s of tool calls ` +
        `at ${flags.msgRate}/s over its stdin/stdout; about a minute and a half\n`,
    );
    return (await runAndProfile(demoStdioCommandLine(opts.leaky), flags, 'memprof demo')).exitCode;
  }
  const flags = demoFlags(opts.out);
  const mode = opts.leaky ? 'leaky mode: closed sessions are archived and never freed' : 'pooled mode';
  process.stderr.write(
    `memprof: demo: starting the bundled MCP server (${DEMO_FIXTURE}, ${mode}): warm-up, ramp to ${flags.ramp!.join(', ')} sessions, ` +
      `${flags.hold! / 1000} s hold with tool calls, replacing ${flags.churnRate} sessions/s; about a minute and a quarter\n`,
  );
  return (await runAndProfile(demoCommandLine(opts.leaky), flags, 'memprof demo')).exitCode;
}
