import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, memprof } from '../helpers.js';
import { startFixture, type RunningFixture } from '../fixtures/fixture-process.js';

const running: RunningFixture[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});
async function fixture(env: Record<string, string> = {}): Promise<RunningFixture> {
  const f = await startFixture('clean', env);
  running.push(f);
  return f;
}

describe('memprof load', () => {
  it('--json prints the summary and nothing else on stdout', async () => {
    const f = await fixture();
    const r = memprof(['load', '--mcp', f.url, '--ramp', '3,6', '--msg-rate', '5', '--hold', '400ms', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schema: 'memprof/load@1', url: f.url, sessionsOpened: 6, sessionsClosed: 6, tool: 'echo', interrupted: false });
    expect(out.steps.map((s: { connections: number }) => s.connections)).toEqual([3, 6]);
    expect((await f.status()).toolCalls).toBe(out.requests);
  });

  it('prints a text summary, with unmeasured figures said to be so', async () => {
    const f = await fixture();
    const r = memprof(['load', '--mcp', f.url, '--ramp', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`MCP load against ${f.url}`);
    expect(r.stdout).toMatch(/sessions\s+2 opened, 2 closed, 0 failed, peak 2 open/);
    expect(r.stdout).toMatch(/tool latency\s+not measured/);
    expect(r.stdout).toMatch(/errors\s+none/);
  });

  it('bad input: one line on stderr and exit 2', async () => {
    const noUrl = memprof(['load']);
    expect(noUrl.status).toBe(2);
    expect(noUrl.stderr).toMatch(/^memprof: load needs --mcp URL/);
    const refused = memprof(['load', '--mcp', 'http://127.0.0.1:1/mcp']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^memprof: cannot open an MCP session at http:\/\/127.0.0.1:1\/mcp: connection refused/);
    expect(refused.stdout).toBe('');
    const churn = memprof(['load', '--mcp', 'http://127.0.0.1:1/mcp', '--churn']);
    expect(churn.status).toBe(2);
    expect(churn.stderr).toMatch(/--churn needs --hold/);
    const header = memprof(['load', '--mcp', 'http://127.0.0.1:1/mcp', '--header', 'nocolon']);
    expect(header.status).toBe(2);
    expect(header.stderr).toMatch(/invalid --header 'nocolon'/);
  });

  it('Ctrl-C closes every session it opened, prints what it measured and exits 130', async () => {
    const f = await fixture();
    const child = spawn(process.execPath, [BIN, 'load', '--mcp', f.url, '--ramp', '10', '--hold', '5m', '--json'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 300 && (await f.status()).sessions < 10; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await f.status()).sessions).toBe(10);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/stopping, closing the sessions opened/);
    expect(JSON.parse(stdout)).toMatchObject({ interrupted: true, sessionsOpened: 10, sessionsClosed: 10 });
    expect((await f.status()).sessions).toBe(0);
  });
});
