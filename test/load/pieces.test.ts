import { describe, expect, it } from 'vitest';
import { Allowance } from '../../src/load/allowance.js';
import { ChurnQueue } from '../../src/load/churn.js';
import { InFlight } from '../../src/load/in-flight.js';
import { LoadRequestError } from '../../src/load/jsonrpc.js';
import { PauseGate } from '../../src/load/pause-gate.js';
import { newSession, SessionSet } from '../../src/load/session-set.js';
import { Sleeper, until } from '../../src/load/sleeper.js';
import { LoadStats } from '../../src/load/stats.js';

/** The load generator's pieces, each on its own: no socket, no server. */

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Allowance', () => {
  it('turns a rate into whole operations over ticks', () => {
    const a = new Allowance(true);
    let taken = 0;
    for (let i = 0; i < 100; i++) {
      a.accrue(50, 0.01); // 50/s over 1 s in 10 ms ticks
      while (a.take()) taken++;
    }
    expect(taken).toBe(50);
  });

  it('capped: a stall is not repaid as a burst (a tenth of a second, at least one)', () => {
    const a = new Allowance(true);
    a.accrue(100, 5);
    expect(a.available).toBe(10);
    const slow = new Allowance(true);
    slow.accrue(2, 5);
    expect(slow.available).toBe(1);
  });

  it('uncapped: keeps the debt (the caller counts what it cannot send), and reset forgets it', () => {
    const a = new Allowance(false);
    a.accrue(100, 5);
    expect(a.available).toBe(500);
    a.reset();
    expect(a.take()).toBe(false);
    a.reset(1);
    expect(a.take()).toBe(true);
  });
});

describe('InFlight', () => {
  it('resolves idle() when the count falls to zero, at once when it is zero', async () => {
    const f = new InFlight();
    await f.idle();
    const a = deferred();
    const b = deferred();
    const ran: string[] = [];
    void f.track(a.promise, () => ran.push('a'));
    void f.track(b.promise, () => ran.push('b'));
    let idle = false;
    void f.idle().then(() => (idle = true));
    a.resolve();
    await tick();
    expect([f.count, idle]).toEqual([1, false]);
    b.resolve();
    await tick();
    expect([f.count, idle, ran]).toEqual([0, true, ['a', 'b']]);
  });

  it('a rejected operation is counted out too, and its rejection reaches the caller', async () => {
    const f = new InFlight();
    await expect(f.track(Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(f.count).toBe(0);
  });
});

describe('PauseGate', () => {
  function gate(): { g: PauseGate; calls: InFlight; ops: InFlight; resumed: () => number; closedIdle: () => number } {
    const calls = new InFlight();
    const ops = new InFlight();
    let resumes = 0;
    let idleClosed = 0;
    const g = new PauseGate({
      calls,
      sessionOps: ops,
      closeIdle: () => (idleClosed++, 0),
      onResume: () => resumes++,
    });
    return { g, calls, ops, resumed: () => resumes, closedIdle: () => idleClosed };
  }

  it('during: calls stop, those in flight are answered before the hook, and the load resumes after', async () => {
    const { g, calls, resumed } = gate();
    const call = deferred();
    void calls.track(call.promise);
    const seen: unknown[] = [];
    const during = g.during(() => {
      seen.push([g.paused, calls.count]);
      return 'measured';
    });
    await tick();
    expect(seen).toEqual([]);
    expect(g.paused).toBe(true);
    call.resolve();
    expect(await during).toBe('measured');
    expect(seen).toEqual([[true, 0]]);
    expect([g.paused, resumed()]).toEqual([false, 1]);
    expect(g.pausedMs).toBeGreaterThan(0);
  });

  it('still: frozen, waits for calls and session ops (one ending may start another), closes idle sockets, one at a time', async () => {
    const { g, calls, ops, closedIdle } = gate();
    const call = deferred();
    const close = deferred();
    void calls.track(call.promise, () => {
      // A deferred DELETE starts as the session's last call is answered.
      void ops.track(close.promise);
    });
    const order: string[] = [];
    const first = g.still(async () => {
      order.push(`first ${g.frozen} ${calls.count} ${ops.count} ${closedIdle()}`);
      await tick();
      return 1;
    });
    const second = g.still(async () => {
      order.push('second');
      return 2;
    });
    call.resolve();
    await tick();
    expect(order).toEqual([]);
    close.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(['first true 0 0 1', 'second']);
    expect(g.frozen).toBe(false);
  });

  it('still: a failed measurement does not block the next one', async () => {
    const { g } = gate();
    await expect(g.still(() => Promise.reject(new Error('snapshot failed')))).rejects.toThrow('snapshot failed');
    expect(await g.still(async () => 'next')).toBe('next');
  });

  it('stop(): a wait for work that never ends is cut short', async () => {
    const { g, calls } = gate();
    void calls.track(new Promise(() => undefined));
    const measured = g.still(async () => 'measured anyway');
    await tick();
    g.stop();
    expect(await measured).toBe('measured anyway');
  });
});

describe('Sleeper and until', () => {
  it('stop() ends every sleep under way and later ones do not wait', async () => {
    const s = new Sleeper();
    const t0 = performance.now();
    const long = s.sleep(60_000);
    s.stop();
    await long;
    await s.sleep(60_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('until resolves when the condition holds, or at its limit', async () => {
    let n = 0;
    await until(() => ++n >= 3, 5000, 1);
    expect(n).toBe(3);
    const t0 = performance.now();
    await until(() => false, 30, 5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
});

describe('SessionSet and ChurnQueue', () => {
  it('adds and removes in O(1), keeps base and burst apart, the peak, and a round robin', () => {
    const set = new SessionSet();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => newSession(id, 'v'));
    set.add(a, false);
    set.add(b, false);
    set.add(c, true);
    expect([set.size, set.base, set.burst.size, set.peak]).toEqual([3, 2, 1, 3]);
    expect(set.remove(a)).toBe(true);
    expect(set.remove(a)).toBe(false);
    expect(set.open.map((s) => [s.id, s.index])).toEqual([
      ['c', 0],
      ['b', 1],
    ]);
    expect([set.next()!.id, set.next()!.id, set.next()!.id]).toEqual(['b', 'c', 'b']);
    expect(set.baseSessions().map((s) => s.id)).toEqual(['b']);
    set.remove(c);
    expect([set.base, set.burst.size, set.peak, set.opened]).toEqual([1, 0, 3, 3]);
  });

  it('churn spreads the first deadlines over one lifetime, then closes in deadline order, skipping sessions gone', () => {
    const set = new SessionSet();
    const sessions = ['a', 'b', 'c', 'd'].map((id) => newSession(id, 'v'));
    for (const s of sessions) set.add(s, false);
    const q = new ChurnQueue();
    q.start(set.baseSessions(), 0, 1000);
    expect(sessions.map((s) => s.deadline)).toEqual([250, 500, 750, 1000]);
    expect(q.next(100)).toBeNull();
    expect(q.next(600)!.id).toBe('a');
    set.remove(sessions[1]); // b closed some other way (a 404)
    expect(q.next(600)).toBeNull();
    const e = newSession('e', 'v');
    set.add(e, false);
    q.add(e, 600, 1000);
    expect(e.deadline).toBe(1600);
    expect([q.next(Infinity)!.id, q.next(Infinity)!.id, q.next(Infinity)!.id, q.next(Infinity)]).toEqual(['c', 'd', 'e', null]);
  });
});

describe('LoadStats', () => {
  it('counts errors by kind, answered calls with their latency and tool errors, and describes the top kinds', () => {
    const st = new LoadStats();
    st.callAnswered(5, { content: [] });
    st.callAnswered(7, { isError: true });
    st.callFailed(new LoadRequestError('timeout', 'late'));
    st.callFailed(new LoadRequestError('timeout', 'late'));
    st.countError(new Error('a bug of ours'));
    expect([st.requests, st.requestsFailed, st.errors]).toEqual([2, 2, 4]);
    expect(st.errorsByKind).toEqual({ tool_error: 1, timeout: 2, internal: 1 });
    expect(st.describeKinds()).toBe('timeout x2, tool_error x1, internal x1');
    expect(st.latency.summary()).toMatchObject({ p50: 5, max: 7 });
  });

  it('the message rate leaves out the time the load stood still, and is null when no call was sent', () => {
    const st = new LoadStats();
    expect(st.msgPerSec(0, 1000)).toBeNull();
    st.startMessages(1000);
    for (let i = 0; i < 10; i++) st.callAnswered(1, null);
    st.endMessages(4000);
    st.endMessages(9000); // the first end counts
    expect(st.msgPerSec(1000, 99_999)).toBe(5);
  });
});
