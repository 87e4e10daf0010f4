import type { SseStream } from './http.js';

/** One open MCP session, as the HTTP load generator holds it: an id, not an SDK client. */
export interface Session {
  id: string;
  /** The protocol version the server settled on (sent back in Mcp-Protocol-Version). */
  version: string;
  /** Position in SessionSet.open, -1 once closed or lost. */
  index: number;
  /** Opened by a burst: closed when the burst ends, not counted in the base. */
  burst: boolean;
  /** Churn deadline (performance.now() ms). */
  deadline: number;
  stream: SseStream | null;
  /** Tool calls in flight on this session. */
  calls: number;
  /** Closed by us while calls were in flight: DELETE once they are answered. */
  closeDeferred: boolean;
  /** Taken out of the open set by us and not yet known gone from the server (SessionOps.closingBase). */
  closing: boolean;
}

export function newSession(id: string, version: string): Session {
  return { id, version, index: -1, burst: false, deadline: Infinity, stream: null, calls: 0, closeDeferred: false, closing: false };
}

/**
 * The sessions open now: an array with O(1) swap-removal (a session knows its index), the base
 * count (the ramp's and the hold's) apart from a burst's, and a round-robin pointer for calls.
 */
export class SessionSet {
  readonly open: Session[] = [];
  readonly burst = new Set<Session>();
  /** Sessions open now that are not a burst's. */
  base = 0;
  /** Sessions ever added. */
  opened = 0;
  /** Most sessions open at once. */
  peak = 0;
  private rr = 0;

  get size(): number {
    return this.open.length;
  }

  add(s: Session, burst: boolean): void {
    s.burst = burst;
    s.index = this.open.length;
    this.open.push(s);
    this.opened++;
    if (burst) this.burst.add(s);
    else this.base++;
    if (this.open.length > this.peak) this.peak = this.open.length;
  }

  /** Takes the session out; false if it was out already. */
  remove(s: Session): boolean {
    if (s.index < 0) return false;
    const last = this.open.pop()!;
    if (last !== s) {
      this.open[s.index] = last;
      last.index = s.index;
    }
    s.index = -1;
    if (s.burst) this.burst.delete(s);
    else this.base--;
    return true;
  }

  /** The next session in turn for a call; undefined when none is open. */
  next(): Session | undefined {
    if (this.open.length === 0) return undefined;
    this.rr = (this.rr + 1) % this.open.length;
    return this.open[this.rr];
  }

  baseSessions(): Session[] {
    return this.open.filter((s) => !s.burst);
  }
}
