import { attachedAlongside } from '../inspector/agent.js';
import type { LiveTarget } from '../inspector/connect.js';
import { inspectorClientCount, listeningSockets } from '../inspector/proc.js';
import type { Recording } from './recording.js';

/** How often the target's inspector connections are looked at (reading /proc costs about a millisecond). */
const CHECK_EVERY_MS = 2000;

/**
 * Who else observes the target while memprof profiles it, for the report's notes: another memprof
 * run this one attached alongside (--force), and other inspector clients (DevTools, an IDE,
 * another tool), seen as extra TCP connections to the target's inspector port. What those do
 * (forced GCs, snapshots, breakpoints) changes what memprof measures; GCs another memprof forced
 * are told apart (gc.forcedByOthers), a DevTools "collect garbage" is not, so the note says so.
 * Connections are visible only for a local target in memprof's pid namespace; elsewhere nothing
 * is claimed.
 */
export class OtherObservers {
  private lastCheck = 0;
  private port: number | null | undefined;
  private seen = false;

  constructor(
    private readonly live: LiveTarget,
    private readonly rec: Recording,
    private readonly progress: (line: string) => void,
  ) {
    const holder = attachedAlongside(live.session);
    if (holder) {
      const since = holder.since === null ? '' : ` since ${new Date(holder.since).toISOString()}`;
      rec.notes['run.sharedTarget'] =
        `another memprof (pid ${holder.pid ?? 'unknown'}${since}) was profiling this target when this run attached (--force): ` +
        `the GCs it forced are left out (gc.forcedByOthers), but its heap snapshots froze the target during this run too`;
    }
  }

  /** Looks at the inspector's connections, at most every few seconds; never throws. */
  async check(now = Date.now()): Promise<void> {
    if (this.seen || now - this.lastCheck < CHECK_EVERY_MS) return;
    this.lastCheck = now;
    try {
      const port = await this.inspectorPort();
      if (port === null) return;
      const clients = await inspectorClientCount(this.live.pid, port);
      if (clients === null || clients <= 1) return;
      this.seen = true;
      const line =
        `another inspector client (DevTools, an IDE or another tool: ${clients - 1} connection${clients > 2 ? 's' : ''} besides memprof's) ` +
        `was attached to the target at ${new Date(now).toISOString()}: GCs or snapshots it triggers are not told apart from the target's own`;
      this.rec.notes['run.otherInspectorClients'] = line;
      this.progress(`note: ${line}`);
    } catch {
      // /proc unreadable or the target gone: nothing to report
    }
  }

  /** The inspector port, when the target is a local process that listens on it (null otherwise). */
  private async inspectorPort(): Promise<number | null> {
    if (this.port !== undefined) return this.port;
    let port: number | null = null;
    try {
      const u = new URL(this.live.url);
      const p = Number(u.port);
      if ((await listeningSockets(this.live.pid)).some((s) => s.port === p)) port = p;
    } catch {
      port = null;
    }
    this.port = port;
    return port;
  }
}
