import { readFile, readdir, readlink } from 'node:fs/promises';

/**
 * What /proc tells about a local process: enough to decide whether SIGUSR1 is safe to send (a
 * process that does not catch it dies of it) and to find the port the inspector opened.
 */

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

export async function processExists(pid: number): Promise<boolean> {
  try {
    await readFile(`/proc/${pid}/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** True when the process catches SIGUSR1 (SigCgt bit 9 in /proc/N/status). Null when unreadable. */
export async function catchesSigusr1(pid: number): Promise<boolean | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status);
    if (!m) return null;
    return (BigInt('0x' + m[1]) & (1n << 9n)) !== 0n;
  } catch {
    return null;
  }
}

/** argv of the process (empty for kernel threads or when unreadable). */
export async function processArgv(pid: number): Promise<string[]> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

export async function processExe(pid: number): Promise<string | null> {
  try {
    return await readlink(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** NODE_OPTIONS of the process as it was started (the environment it was given). */
export async function processNodeOptions(pid: number): Promise<string> {
  try {
    const env = await readFile(`/proc/${pid}/environ`, 'utf8');
    for (const kv of env.split('\0')) if (kv.startsWith('NODE_OPTIONS=')) return kv.slice('NODE_OPTIONS='.length);
  } catch {
    // unreadable environment: nothing to learn from it
  }
  return '';
}

/** Socket inodes the process holds open (from its /proc/N/fd links `socket:[inode]`). */
async function socketInodes(pid: number): Promise<Set<number>> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  await Promise.all(
    fds.map(async (fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(Number(m[1]));
      } catch {
        // fd closed meanwhile
      }
    }),
  );
  return inodes;
}

function parseHexAddress(hex: string, v6: boolean): string {
  if (!v6) {
    const n = parseInt(hex, 16);
    // /proc prints the address in host (little-endian) byte order.
    return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
  }
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = word.match(/../g)!.reverse().join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const full = groups.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
  if (full === '0:0:0:0:0:0:0:0') return '::';
  if (full === '0:0:0:0:0:0:0:1') return '::1';
  return full;
}

/** TCP sockets in LISTEN state that belong to the process (matched by inode against its fds). */
export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const inodes = await socketInodes(pid);
  if (inodes.size === 0) return [];
  const out: ListeningSocket[] = [];
  for (const [file, v6] of [
    ['tcp', false],
    ['tcp6', true],
  ] as const) {
    let text: string;
    try {
      text = await readFile(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const inode = Number(f[9]);
      if (!inodes.has(inode)) continue;
      const [addrHex, portHex] = f[1].split(':');
      out.push({ address: parseHexAddress(addrHex, v6), port: parseInt(portHex, 16), inode });
    }
  }
  return out;
}

/** Every listening TCP port on the host (any process), to tell "port taken" from other failures. */
export async function portIsListening(port: number): Promise<boolean> {
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 4 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port) return true;
    }
  }
  return false;
}

/** The port `--inspect-port`/`--inspect[=host:]port`/`--debug-port` asks for, in argv or NODE_OPTIONS. */
export function requestedInspectPort(args: string[]): { host: string; port: number } | null {
  let host = '127.0.0.1';
  let port: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    const m = /^--(?:inspect-port|debug-port|inspect|inspect-brk|inspect-wait)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    let value = m[1];
    if (value === undefined && /^--(inspect-port|debug-port)$/.test(a)) value = args[++i];
    if (value === undefined) continue;
    const hp = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value);
    if (hp) {
      if (hp[1]) host = hp[1];
      port = Number(hp[2]);
    } else if (/^[^:]+$/.test(value)) host = value;
  }
  return port === null && host === '127.0.0.1' ? null : { host, port: port ?? 9229 };
}

/**
 * Inspector clients connected to `port` of process `pid`: its established TCP connections whose
 * local port is the inspector's (from /proc; null where /proc is not readable). memprof's own
 * session is one of them, so a count above 1 means another client (DevTools, an IDE, another
 * tool) is attached.
 */
export async function inspectorClientCount(pid: number, port: number): Promise<number | null> {
  const inodes = await socketInodes(pid);
  if (inodes.size === 0) return null;
  let count = 0;
  let readable = false;
  for (const file of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = await readFile(`/proc/${pid}/net/${file}`, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // state 01: ESTABLISHED
      if (f.length < 10 || f[3] !== '01' || !inodes.has(Number(f[9]))) continue;
      if (parseInt(f[1].split(':')[1], 16) === port) count++;
    }
  }
  return readable ? count : null;
}
