import { readdir, readFile } from 'node:fs/promises';
import { inputError } from '../util/errors.js';
import { connectTarget, type ConnectOptions, type LiveTarget } from './connect.js';
import { processArgv, processExe } from './proc.js';

/**
 * The Node processes that serve, under `pid` (itself included): those of its descendants (from
 * /proc's parent pids) that run Node and started no Node process themselves. A cluster primary or
 * PM2's daemon forks and holds no sessions; npx or sh in front of node is not Node. Sorted by pid.
 */
export async function servingNodeProcesses(pid: number): Promise<number[]> {
  const parents = await parentsByPid();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
  const tree: number[] = [];
  const walk = (p: number): void => {
    tree.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  const node = new Set<number>();
  for (const p of tree) if (await isNode(p)) node.add(p);
  const hasNodeBelow = (p: number): boolean => (children.get(p) ?? []).some((c) => node.has(c) || hasNodeBelow(c));
  return [...node].filter((p) => !hasNodeBelow(p)).sort((a, b) => a - b);
}

/**
 * `--target pid:N --workers`: attaches to every serving Node process under N, one after another
 * (each may need SIGUSR1, whose inspector port is the same for all: it is moved to a free one
 * before the next is signalled). On a failure, those attached so far are closed again.
 */
export async function connectWorkers(pid: number, opts: ConnectOptions): Promise<LiveTarget[]> {
  if (process.platform !== 'linux') throw inputError('--workers finds the processes through /proc: Linux only; give each one as --target HOST:PORT');
  const pids = await servingNodeProcesses(pid);
  if (pids.length === 0) throw inputError(`no Node.js process found under pid ${pid} (--workers looks for its Node children: cluster workers, PM2 apps)`);
  const attached: LiveTarget[] = [];
  try {
    for (const p of pids) attached.push(await connectTarget(`pid:${p}`, { ...opts, anyPort: true }));
  } catch (err) {
    await Promise.all(attached.map((l) => l.close()));
    throw err;
  }
  return attached;
}

async function parentsByPid(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && fields[0] !== 'X') out.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function isNode(pid: number): Promise<boolean> {
  const exe = (await processExe(pid)) ?? (await processArgv(pid))[0] ?? '';
  return /node/i.test(exe.split('/').pop() ?? '');
}
