import type { LiveTarget } from '../inspector/connect.js';
import { runProfile, type ProfileIo, type ProfileOptions } from './profiler.js';
import type { Recording } from './recording.js';

/** One target of a fleet: its session, its own options (out dir, share of the load). */
export interface FleetMember {
  live: LiveTarget;
  options: ProfileOptions;
  /** Resolves when the process is known to be gone by other means (run: it exited). */
  targetGone?: Promise<string>;
}

/**
 * Profiles every member at once, each as a single-target run (runProfile) with its own sampler,
 * so a slow instance (a big heap's snapshot) never holds back another's samples. Snapshots take
 * one shared lock: one instance frozen at a time, never the fleet whole. A member whose target
 * dies ends its own run (recording `target-lost`); the others go on. Resolves with the recordings
 * in member order.
 */
export async function runFleet(members: FleetMember[], io: Omit<ProfileIo, 'targetGone'>): Promise<Recording[]> {
  const lock = mutex();
  return Promise.all(
    members.map((m, k) =>
      runProfile(
        m.live,
        { ...m.options, snapshotLock: lock },
        {
          signal: io.signal,
          progress: (line) => io.progress(`[${k}] ${line}`),
          ...(m.targetGone ? { targetGone: m.targetGone } : {}),
        },
      ),
    ),
  );
}

/** A minimal async mutex: each call runs after the previous one settled. */
export function mutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}
