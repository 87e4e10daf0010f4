import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listeningSockets } from './proc.js';

/**
 * How much more memory a local process may use before something kills it: the tighter of its
 * memory cgroup's limit minus usage (v2 memory.max/memory.current, v1 limit_in_bytes/usage_in_bytes)
 * and the host's MemAvailable.
 */
export interface Headroom {
  /** Bytes the target can still grow by; null when nothing could be read. */
  bytes: number | null;
  /** What bounds it, for the message: 'cgroup memory.max 2.0 GiB' or 'MemAvailable'. */
  source: string;
  cgroupLimit: number | null;
  memAvailable: number | null;
}

/** Above this a cgroup v1 "limit" means unlimited (the kernel reports a page-rounded 2^63). */
const UNLIMITED = 2 ** 60;

/**
 * The headroom of the process behind an inspector session, or 'not local' when /proc cannot be
 * trusted to describe it: only if the process with that pid listens on the inspector port memprof
 * reached is it the target (a loopback port may lead into a container with its own pids).
 */
export async function targetHeadroom(pid: number, inspectorUrl: string): Promise<Pick<Headroom, 'bytes' | 'source'>> {
  const port = Number(new URL(inspectorUrl).port);
  const local = (await listeningSockets(pid).catch(() => [])).some((s) => s.port === port);
  return local ? readHeadroom(pid) : { bytes: null, source: 'not local' };
}

export async function readHeadroom(pid: number): Promise<Headroom> {
  const memAvailable = await readMemAvailable();
  const cg = await readCgroupMemory(pid);
  const cgroupFree = cg ? Math.max(0, cg.limit - cg.usage) : null;
  let bytes: number | null = memAvailable;
  let source = 'MemAvailable of the host';
  if (cgroupFree !== null && (bytes === null || cgroupFree < bytes)) {
    bytes = cgroupFree;
    source = `its memory cgroup (limit ${cg!.limit} B, in use ${cg!.usage} B)`;
  }
  return { bytes, source, cgroupLimit: cg?.limit ?? null, memAvailable };
}

async function readMemAvailable(): Promise<number | null> {
  try {
    const m = /^MemAvailable:\s+(\d+)\s+kB$/m.exec(await readFile('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function readNumber(path: string): Promise<number | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (text === 'max') return Infinity;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * The process's memory cgroup. Inside a container the cgroup file system is often mounted at the
 * process's own cgroup, so the path from /proc/N/cgroup may not exist under the mount: walk up from
 * it to the mount root and take the first directory that answers.
 */
async function readCgroupMemory(pid: number): Promise<{ limit: number; usage: number } | null> {
  let lines: string[];
  try {
    lines = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const candidates: Array<{ root: string; path: string; limitFile: string; usageFile: string }> = [];
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (controllers === '') candidates.push({ root: '/sys/fs/cgroup', path, limitFile: 'memory.max', usageFile: 'memory.current' });
    else if (controllers.split(',').includes('memory'))
      candidates.push({ root: '/sys/fs/cgroup/memory', path, limitFile: 'memory.limit_in_bytes', usageFile: 'memory.usage_in_bytes' });
  }
  for (const c of candidates) {
    const parts = c.path.split('/').filter(Boolean);
    for (let n = parts.length; n >= 0; n--) {
      // The tightest limit anywhere up the hierarchy applies; the first readable level gives usage.
      const dir = join(c.root, ...parts.slice(0, n));
      const usage = await readNumber(join(dir, c.usageFile));
      if (usage === null) continue;
      let limit = Infinity;
      for (let k = n; k >= 0; k--) {
        const l = await readNumber(join(c.root, ...parts.slice(0, k), c.limitFile));
        if (l !== null && l < limit) limit = l;
      }
      if (limit >= UNLIMITED) break;
      return { limit, usage };
    }
  }
  return null;
}
