import { fileURLToPath } from 'node:url';
import type { ProfileFlags } from '../cli/profile-options.js';
import { runAndProfile } from './run.js';

/** The bundled fixture: a real MCP server on the official SDK, with a session-state pool it publishes. */
export const DEMO_FIXTURE = fileURLToPath(new URL('../../fixtures/mcp-server.mjs', import.meta.url));

/**
 * The demo scenario: what `memprof run` is given. Sized for a 2-core machine to finish in about a
 * minute (measured here: the fixture opens 30–80 sessions/s under profiling, and a snapshot of its
 * heap at 1,000 sessions freezes it for about 20 s, so the top step is 500): three ramp steps for the per-connection fit, a little tool traffic, a short hold for the
 * steady state, and snapshots before the load, at the top step and after it for the retained size
 * per session and the three-snapshot leak check. No churn: on this fixture the server opens about
 * 50 sessions/s, so replacing sessions would empty the top step rather than keep it steady.
 */
export function demoFlags(out: string): ProfileFlags {
  return {
    mcp: 'http://127.0.0.1:0/mcp',
    ramp: [100, 250, 500],
    msgRate: 0.2,
    hold: 6_000,
    lifetime: 5_000,
    interval: 500,
    snapshots: 3,
    out,
    startupTimeout: 30_000,
  };
}

export function demoCommandLine(): string[] {
  return [process.execPath, DEMO_FIXTURE, '--mode', 'pooled'];
}

/** `memprof demo`: the whole job on the bundled fixture; exit code = the checklist's. */
export async function demoCommand(opts: { out: string }): Promise<number> {
  const flags = demoFlags(opts.out);
  process.stderr.write(
    `memprof: demo: starting the bundled MCP server (${DEMO_FIXTURE}, pooled mode), ramping ${flags.ramp!.join(', ')} sessions, ` +
      `then holding ${flags.hold! / 1000} s; about a minute\n`,
  );
  const finished = await runAndProfile(demoCommandLine(), flags);
  if (finished.exitCode !== 0) return finished.exitCode;
  return finished.checksFailed ? 1 : 0;
}
