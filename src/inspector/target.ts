import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { inputError } from '../util/errors.js';

/** A parsed `--target` value (docs/cli.md: HOST:PORT, ws://..., pid:N). */
export type TargetSpec =
  | { kind: 'hostport'; host: string; port: number }
  | { kind: 'ws'; url: string; host: string; port: number }
  | { kind: 'pid'; pid: number };

const USAGE = 'use HOST:PORT (e.g. 127.0.0.1:9229), ws://HOST:PORT/ID, or pid:N';

/** Parses `--target`; anything else is an input error naming the value. */
export function parseTargetSpec(spec: string): TargetSpec {
  const text = spec.trim();
  if (text === '') throw inputError(`--target is empty: ${USAGE}`);

  const pid = /^pid:(\d+)$/i.exec(text);
  if (pid) {
    const n = Number(pid[1]);
    if (!Number.isSafeInteger(n) || n <= 0) throw inputError(`invalid --target '${spec}': the pid must be a positive integer`);
    return { kind: 'pid', pid: n };
  }

  if (/^wss?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw inputError(`invalid --target '${spec}': not a valid WebSocket URL; ${USAGE}`);
    }
    const host = stripBrackets(url.hostname);
    if (!host) throw inputError(`invalid --target '${spec}': the URL has no host; ${USAGE}`);
    const port = url.port ? Number(url.port) : url.protocol === 'wss:' ? 443 : 80;
    return { kind: 'ws', url: text, host, port };
  }

  // [::1]:9229, 127.0.0.1:9229, localhost:9229
  const hp = /^(?:\[([0-9a-fA-F:.]+)\]|([^:/\s[\]]+)):(\d+)$/.exec(text);
  if (hp) {
    const host = hp[1] ?? hp[2];
    const port = Number(hp[3]);
    if (port < 1 || port > 65535) throw inputError(`invalid --target '${spec}': port ${port} is out of range 1-65535`);
    if (hp[1] && isIP(hp[1]) !== 6) throw inputError(`invalid --target '${spec}': '${hp[1]}' is not an IPv6 address`);
    return { kind: 'hostport', host, port };
  }
  if (/^\d+$/.test(text)) throw inputError(`invalid --target '${spec}': a bare number is ambiguous; use 127.0.0.1:${text} for a port or pid:${text} for a process`);
  throw inputError(`invalid --target '${spec}': ${USAGE}`);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Refuses a non-loopback inspector unless the user allowed it: the inspector is remote code
 * execution, so sending its traffic over a network must be a deliberate choice. A host name counts
 * as loopback only when every address it resolves to is. Returns the addresses to try, IPv4 first
 * (Node's inspector binds 127.0.0.1 by default, and refuses Host headers that are not IPs or localhost).
 */
export async function assertLoopbackAllowed(host: string, allowRemote: boolean | undefined): Promise<string[]> {
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((r) => r.address);
    } catch {
      throw inputError(`cannot resolve the target host '${host}'; check the name, or use an IP address`);
    }
  }
  if (!allowRemote && (addresses.length === 0 || !addresses.every(isLoopbackAddress))) {
    throw inputError(
      `refusing to attach to non-loopback host '${host}': the inspector allows remote code execution; tunnel it (ssh -L) to 127.0.0.1, or pass --allow-remote if you accept the risk`,
    );
  }
  return [...addresses.filter((a) => isIP(a) === 4), ...addresses.filter((a) => isIP(a) === 6)];
}
