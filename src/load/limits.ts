import { readFileSync } from 'node:fs';

/**
 * The per-process and per-machine limits a large load run meets on Linux: open files (one per
 * socket), ephemeral ports per (source, destination) pair. Node already raises the soft
 * open-files limit to the hard one when it starts, so there is nothing to raise here, only to
 * read and to warn about. Where /proc is missing the functions say "unknown" (null).
 */

export interface FdLimit {
  soft: number;
  hard: number;
}

/** Parses the "Max open files" row of /proc/<pid>/limits ("unlimited" is Infinity). */
export function parseFdLimit(limitsText: string): FdLimit | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limitsText);
  if (!m) return null;
  const num = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(m[1]), hard: num(m[2]) };
}

export function readFdLimit(): FdLimit | null {
  try {
    return parseFdLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

/** Ports per (source address, destination) pair, from ip_local_port_range; null if unknown. */
export function ephemeralPorts(): number | null {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi >= lo ? hi - lo + 1 : null;
  } catch {
    return null;
  }
}

const LOOPBACK_V4 = /^127\.\d+\.\d+\.\d+$/;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_V4.test(hostname) || hostname === 'localhost';
}

/**
 * Source addresses for `sockets` concurrent sockets to one loopback destination: one 127.0.0.x
 * per ~90% of the ephemeral port range, since every address gets its own port space. Non-loopback
 * targets keep the system's choice ([]): other local addresses are not ours to guess.
 */
export function sourceAddressesFor(hostname: string, sockets: number, portsPerSource: number | null): string[] {
  // Only an IPv4 literal: 'localhost' may resolve to ::1, which a 127.0.0.x source cannot reach.
  if (!LOOPBACK_V4.test(hostname) || portsPerSource === null) return [];
  const usable = Math.floor(portsPerSource * 0.9);
  if (sockets <= usable) return [];
  const n = Math.min(250, Math.ceil(sockets / usable));
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}
