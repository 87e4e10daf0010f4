import { formatBytes } from '../util/units.js';

/**
 * Measured here (Node 20, 2 cores): while V8 builds and serialises a snapshot the target's RSS
 * grows by 8.6 × heapUsed (98 MB heap: +856 MB), 7.9 × (199 MB heap: +1.58 GB) and 8.9 × (191 MB
 * heap: +1.7 GB), and the target is frozen 19–38 s and 72–165 s for those heaps (the longer
 * figures on a loaded machine).
 */
export const SNAPSHOT_MEMORY_FACTOR = 9;

export interface SnapshotRisk {
  /** Estimated extra native memory the target needs while snapshotting. */
  neededBytes: number;
  headroomBytes: number | null;
  /** 'refuse': the estimate exceeds what the target can still get; 'warn': more than half of it. */
  verdict: 'ok' | 'warn' | 'refuse' | 'unknown';
  message: string;
}

/** Decides from measured figures whether a snapshot is safe. Pure: the caller reads the figures. */
export function assessSnapshotRisk(heapUsed: number, headroom: { bytes: number | null; source: string }): SnapshotRisk {
  const neededBytes = Math.round(heapUsed * SNAPSHOT_MEMORY_FACTOR);
  const cost = `a heap snapshot freezes the target while it is written (measured on Node 20: 20–40 s for a 100 MB heap, 1–3 min for 200 MB; Node 18 is much slower) and briefly needs about ${formatBytes(neededBytes)} of extra memory (${SNAPSHOT_MEMORY_FACTOR} × heap used ${formatBytes(heapUsed)})`;
  if (headroom.bytes === null) {
    return { neededBytes, headroomBytes: null, verdict: 'unknown', message: `${cost}; its free memory could not be read (remote target)` };
  }
  const room = `${formatBytes(headroom.bytes)} free according to ${headroom.source}`;
  if (neededBytes > headroom.bytes) {
    return {
      neededBytes,
      headroomBytes: headroom.bytes,
      verdict: 'refuse',
      message: `${cost}, but only ${room}: the target could be killed for lack of memory`,
    };
  }
  if (neededBytes > headroom.bytes / 2) {
    return { neededBytes, headroomBytes: headroom.bytes, verdict: 'warn', message: `${cost}; ${room}: memory will be tight` };
  }
  return { neededBytes, headroomBytes: headroom.bytes, verdict: 'ok', message: `${cost}; ${room}` };
}
