import { MemprofError } from '../util/errors.js';
import type { TargetProcess } from './target-process.js';
import { connect } from 'node:net';

/** One TCP connect attempt to the URL's host and port; true when it is accepted. */
function tryConnect(url: URL, timeoutMs: number): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until the URL's port accepts TCP connections. `stillWorth` is asked between attempts so the
 * caller can give up early (the target exited, Ctrl-C). Resolves true when ready, false otherwise.
 */
export async function waitForUrl(url: string, timeoutMs: number, stillWorth: () => boolean = () => true): Promise<boolean> {
  const parsed = new URL(url);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWorth()) {
    if (await tryConnect(parsed, Math.min(1000, Math.max(1, deadline - Date.now())))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The --mcp URL has no usable port yet (0 or absent): it must be read from the target's output. */
export function needsDiscoveredPort(url: string): boolean {
  const parsed = new URL(url);
  return parsed.port === '' || parsed.port === '0';
}

/** The announced URL's origin with the user's path when they gave one (e.g. --mcp http://127.0.0.1:0/custom). */
export function mergeDiscoveredUrl(requested: string, announced: string): string {
  const req = new URL(requested);
  const ann = new URL(announced);
  if (req.pathname && req.pathname !== '/') ann.pathname = req.pathname;
  if (req.search) ann.search = req.search;
  return ann.toString();
}

/** What discoverMcpUrl needs of the started target. */
export type DiscoverableTarget = Pick<TargetProcess, 'pid' | 'command' | 'logPath' | 'inspectorUrls' | 'listeningUrls' | 'hasExited'>;

/**
 * The URL a target started with `--mcp http://127.0.0.1:0/...` serves on: the line it printed
 * ("MCP server listening on URL") when it prints one, else the one TCP port its process group
 * listens on besides its inspectors (from /proc), seen on two polls in a row so a port opened and
 * closed at start-up is not taken. Most servers print nothing memprof can parse; their sockets
 * always tell.
 */
export async function discoverMcpUrl(
  target: DiscoverableTarget,
  timeoutMs: number,
  stillWorth: () => boolean,
  deps: { groupMembers(pgid: number): number[] | null; listeningPorts(pid: number): Promise<number[]> },
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let previous: string | null = null;
  let seen: number[] = [];
  while (Date.now() < deadline && stillWorth()) {
    if (target.listeningUrls[0]) return target.listeningUrls[0];
    const inspectors = new Set(target.inspectorUrls.map((u) => Number(new URL(u).port)));
    const ports = new Set<number>();
    for (const pid of deps.groupMembers(target.pid) ?? [target.pid]) {
      for (const port of await deps.listeningPorts(pid).catch(() => [])) if (!inspectors.has(port)) ports.add(port);
    }
    seen = [...ports].sort((a, b) => a - b);
    const key = seen.join(',');
    if (seen.length === 1 && key === previous) return `http://127.0.0.1:${seen[0]}/`;
    previous = key;
    await new Promise((r) => setTimeout(r, 150));
  }
  if (target.hasExited() || !stillWorth()) return '';
  const found = seen.length > 1 ? `it listens on ports ${seen.join(', ')}: give the one to load with --mcp` : 'it opened no TCP port besides its inspector';
  throw new MemprofError(`'${target.command}' did not announce its MCP URL within ${Math.round(timeoutMs / 1000)} s and ${found}; see ${target.logPath}`, 2);
}
