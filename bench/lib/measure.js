// Runs one command as its own process and measures what it cost: CPU time (user + system) and
// peak resident memory from the kernel's accounting via GNU time, wall time from the clock.
// A command that crashes or runs out of memory is a result too, reported as such.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const canMeasure = existsSync(GNU_TIME);

const OOM_PATTERNS = /heap out of memory|Array buffer allocation failed|out of memory|memory access out of bounds|Cannot allocate memory|Invalid typed array length|Invalid string length|Cannot create a string longer/i;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, stdoutFile?: string }} opts
 */
export async function measure(command, args, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'memprof-bench-'));
  const timeFile = join(dir, 'time.txt');
  const argv = canMeasure ? [GNU_TIME, '-f', '%U %S %M', '-o', timeFile, command, ...args] : [command, ...args];
  const stdoutFd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : 'pipe';
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', stdoutFd, 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, opts.timeoutMs ?? 20 * 60_000);
  const { code, signal } = await new Promise((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
  clearTimeout(timer);
  if (typeof stdoutFd === 'number') closeSync(stdoutFd);
  const wallSec = Number(process.hrtime.bigint() - started) / 1e9;

  let userSec = null;
  let sysSec = null;
  let maxRssBytes = null;
  let childSignal = signal;
  if (canMeasure && existsSync(timeFile)) {
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    const killed = /terminated by signal (\d+)/.exec(lines.join('\n'));
    if (killed) childSignal = `signal ${killed[1]}`;
    const m = /^([\d.]+) ([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
    if (m) {
      userSec = Number(m[1]);
      sysSec = Number(m[2]);
      maxRssBytes = Number(m[3]) * 1024;
    }
  }
  rmSync(dir, { recursive: true, force: true });

  // GNU time exits with the child's status; a child killed by a signal shows as 128 + n.
  const exitCode = code;
  let status = 'ok';
  if (timedOut) status = 'timed out';
  else if (OOM_PATTERNS.test(stderr)) status = 'out of memory';
  else if (childSignal || (exitCode !== null && exitCode > 128)) status = `crashed (${childSignal ?? `exit ${exitCode}`})`;
  else if (exitCode !== 0) status = `failed (exit ${exitCode})`;
  // Node ends a crash with its version line; the cause is the error line above it.
  const stderrLines = stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^\s+at /.test(l) && !/^Node\.js v\d/.test(l) && !/^\s*\^+\s*$/.test(l));
  const errorLine = stderrLines.find((l) => /^\s*(Uncaught )?\w*Error\b.*:/.test(l)) ?? stderrLines.find((l) => /panicked|FATAL/.test(l));
  return {
    status,
    ok: status === 'ok',
    exitCode,
    cpuSec: userSec === null ? null : round(userSec + sysSec),
    userSec,
    sysSec,
    wallSec: round(wallSec),
    maxRssBytes,
    stdout,
    error: status === 'ok' ? null : (stderrLines.find((l) => OOM_PATTERNS.test(l)) ?? errorLine ?? stderrLines[stderrLines.length - 1] ?? null),
  };
}

function round(x) {
  return Math.round(x * 100) / 100;
}
