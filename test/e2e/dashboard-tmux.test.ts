import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers.js';
import { FIXTURE, tempDir } from './helpers.js';

/**
 * The live dashboard in a real terminal: tmux gives memprof a pseudo-terminal as a person's shell
 * would (stderr a TTY, CI unset), and capture-pane reads back what the terminal shows. .ci/run
 * installs tmux.
 */
const TMUX = existsSync('/usr/bin/tmux') ? '/usr/bin/tmux' : 'tmux';
const hasTmux = (() => {
  try {
    execFileSync(TMUX, ['-V']);
    return true;
  } catch {
    return false;
  }
})();

/** One tmux server per test (its own socket), so parallel tests and a user's tmux never mix. */
class Terminal {
  readonly socket = `memprof-dash-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(command: string, cols = 100, rows = 45) {
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(cols), '-y', String(rows), command);
  }

  tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen (and, with history, the scrollback too), without escapes, wrapped lines joined. */
  screen(history = false): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'main', ...(history ? ['-S', '-'] : []));
  }

  /** The screen with its colour and style escapes. */
  escapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-S', '-', '-t', 'main');
  }

  cursorVisible(): boolean {
    return this.tmux('display-message', '-p', '-t', 'main', '#{cursor_flag}').trim() === '1';
  }

  async waitFor(re: RegExp, timeoutMs: number, seen?: (screen: string) => void): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen(true);
      seen?.(s);
      const m = re.exec(s);
      if (m) return m;
      if (Date.now() > end) throw new Error(`not on the terminal within ${timeoutMs} ms: ${re}\n${s}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}

/** `memprof run` in the terminal, stdout to a file (it must stay clean), then its exit code shown. */
function runInTerminal(out: string, args: string[]): Terminal {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const memprof = [process.execPath, BIN, 'run', '--mcp', 'http://127.0.0.1:0/mcp', ...args, '--out', out, '--', process.execPath, FIXTURE, '--mode', 'clean'];
  // CI unset (the dashboard is for a person); NO_COLOR set: the frame must then carry no colour.
  // The shell outlives the Ctrl-C the terminal sends to its whole foreground group (a trap that
  // runs a command is not inherited, so memprof still gets SIGINT as from a person's shell).
  const command = `trap true INT; cd ${q(ROOT)} && env -u CI NO_COLOR=1 ${memprof.map(q).join(' ')} > ${q(path.join(out, 'stdout.txt'))}; echo "memprof-exit=$?"; sleep 120`;
  return new Terminal(command);
}

const terminals: Terminal[] = [];
afterEach(() => {
  while (terminals.length) terminals.pop()!.kill();
});

describe.skipIf(!hasTmux)('the live dashboard in a real terminal (tmux)', () => {
  it('draws the phases of `run` on stderr, leaves stdout to the report, and exits with the terminal clean', async () => {
    const out = tempDir('memprof-dash-');
    const term = runInTerminal(out, ['--ramp', '3,6', '--msg-rate', '5', '--hold', '4s', '--settle', '1s', '--no-warmup', '--snapshots', '0', '--interval', '500ms']);
    terminals.push(term);
    const phases = new Set<string>();
    const seen = (s: string) => {
      for (const m of s.matchAll(/^phase\s+(ramp|hold 6 sessions: (?:settling|steady window)|final|done)/gm)) phases.add(m[1]);
    };
    const exit = await term.waitFor(/memprof-exit=(\d+)/, 60_000, seen);
    expect(['0', '1'], term.screen(true)).toContain(exit[1]);
    // Phases of a second or less may fall between two redraws (twice a second) or two polls.
    expect([...phases]).toEqual(expect.arrayContaining(['ramp', 'hold 6 sessions: steady window', 'done']));

    const screen = term.screen(true);
    // One frame left on the terminal, whole, after the plain lines it printed above itself.
    expect(screen.match(/^memprof run · pid \d+/gm)).toHaveLength(1);
    expect(screen).toMatch(/^memprof: step 2\/2: 6 sessions open, heap [\d.]+ MiB after GC$/m);
    expect(screen).toMatch(/^phase\s+done: measuring over$/m);
    expect(screen).toMatch(/^sessions\s+open 0 · opened 6 · closed 6 · failed 0$/m);
    expect(screen).toMatch(/^requests\s+[\d.]+\/s/m);
    expect(screen).toMatch(/^heap used [\d.]+ MiB\s+peak [\d.]+ MiB\s+[▁▂▃▄▅▆▇█]{4,}$/m);
    expect(screen).toMatch(/^GC pauses /m);
    expect(screen).toMatch(/^growth\s+/m);
    expect(screen).toMatch(/^memprof: report written to .*report\.json/m);
    expect(term.cursorVisible()).toBe(true);
    // NO_COLOR: styles (bold) may stay, colours may not.
    // eslint-disable-next-line no-control-regex
    expect(term.escapes()).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25];[0-9;]+)m/);

    // The summary went to stdout, without a trace of the dashboard.
    const stdout = readFileSync(path.join(out, 'stdout.txt'), 'utf8');
    expect(stdout).toMatch(/Memory per connection/);
    expect(stdout).not.toContain('\x1b');
    expect(existsSync(path.join(out, 'report.json'))).toBe(true);
  });

  it('Ctrl-C keeps the data, exits 130 and leaves the cursor shown and the frame whole', async () => {
    const out = tempDir('memprof-dash-');
    const term = runInTerminal(out, ['--ramp', '4', '--msg-rate', '5', '--hold', '60s', '--settle', '1s', '--no-warmup', '--snapshots', '0', '--interval', '500ms']);
    terminals.push(term);
    await term.waitFor(/^phase\s+hold 4 sessions: steady window, [1-9]/m, 40_000);
    term.tmux('send-keys', '-t', 'main', 'C-c');
    const exit = await term.waitFor(/memprof-exit=(\d+)/, 30_000);
    expect(exit[1], term.screen(true)).toBe('130');
    const screen = term.screen(true);
    // ink wraps the lines it prints above the frame at the terminal's width, at a space.
    expect(screen).toMatch(/^memprof: stopping: closing what memprof opened and writing what was measured \(Ctrl-C again to exit\s+at once\)$/m);
    expect(screen.match(/^memprof run · pid \d+/gm)).toHaveLength(1);
    expect(screen).toMatch(/^phase\s+interrupted: closing what memprof opened, writing what was measured$/m);
    expect(screen).toMatch(/^memprof: interrupted; [\d.]+ s measured, written to .*report\.json$/m);
    expect(term.cursorVisible()).toBe(true);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { notes?: { run?: string } };
    expect(report.notes?.run).toMatch(/interrupted/);
  });
});
