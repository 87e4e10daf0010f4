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
