import { chmodSync } from 'node:fs';
import path from 'node:path';
import type { LiveTarget } from '../inspector/connect.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import { targetHeadroom } from '../inspector/headroom.js';
import { sampleMemory } from '../inspector/sampler.js';
import { assessSnapshotRisk, type SnapshotRisk } from '../inspector/snapshot-risk.js';
import type { Emit } from './emitter.js';
import type { Recording, SnapshotRecord } from './recording.js';
import { message, type RunControl } from './run-control.js';

/** Snapshot progress events at most this often: the dashboard redraws twice a second. */
const PROGRESS_EVERY_MS = 200;

/** Takes snapshots into DIR (mode 0600: they hold the target's heap content). */
export class Snapshotter {
  private attempts = 0;
  private warned = false;
  /** Snapshots the run plans, for "k of K" (the profiler sets it once it has planned them). */
  planned = 0;

  constructor(
    private readonly live: LiveTarget,
    private readonly dir: string,
    private readonly rec: Recording,
    private readonly emit: Emit,
    private readonly force: boolean,
    /** Someone watches the events (the dashboard): ask V8 for its progress too, else as before. */
    private readonly watched = false,
    /** Called when a snapshot is skipped for lack of memory (the run then samples instead). */
    private readonly onSkipped: () => Promise<void> = () => Promise.resolve(),
    /** A fleet's: one instance frozen at a time. */
    private readonly lock: <T>(take: () => Promise<T>) => Promise<T> = (take) => take(),
  ) {}

  /** Takes one snapshot; a skipped or failed one is noted and the run goes on. */
  async take(label: string, run: RunControl, meta: Omit<SnapshotRecord, 'path' | 'label' | 't'> = {}): Promise<SnapshotRecord | null> {
    const index = ++this.attempts;
    const file = path.join(this.dir, `snapshot-${index}-${label}.heapsnapshot`);
    const at = { index, of: Math.max(index, this.planned), label };
    try {
      // A snapshot briefly needs several times heap used of native memory: on a target that does
      // not have it, skip the snapshot (the run goes on) rather than get the target killed.
      const risk = await this.risk();
      if (risk && risk.verdict === 'refuse' && !this.force) {
        this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' skipped: ${risk.message}; pass --force to take it anyway`;
        this.emit({ type: 'snapshot', stage: 'skipped', t: Date.now(), ...at, reason: risk.message });
        await this.onSkipped();
        return null;
      }
      if (risk && !this.warned) {
        this.warned = true;
        this.emit({ type: 'note', text: `note: ${risk.message}` });
      }
      const result = await this.lock(async () => {
        this.emit({ type: 'snapshot', stage: 'start', t: Date.now(), ...at });
        let last = 0;
        let walked: { done: number; total: number } | undefined;
        const tick = (bytes: number): void => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          this.emit({ type: 'snapshot', stage: 'progress', t: now, ...at, bytes, ...(walked ? { walked } : {}) });
        };
        const onProgress = (done: number, total: number): void => {
          walked = { done, total };
          tick(0);
        };
        return takeHeapSnapshot(this.live.session, file, this.watched ? { onProgress, onReceived: tick } : {});
      });
      chmodSync(file, 0o600);
      const shot: SnapshotRecord = { path: file, label, t: Date.now(), ...meta };
      this.rec.snapshots.push(shot);
      this.emit({ type: 'snapshot', stage: 'written', t: Date.now(), ...at, bytes: result.rawBytes, path: file });
      return shot;
    } catch (err) {
      run.failed(err);
      this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' failed: ${message(err)}`;
      this.emit({ type: 'snapshot', stage: 'failed', t: Date.now(), ...at, reason: message(err) });
      return null;
    }
  }

  private async risk(): Promise<SnapshotRisk | null> {
    const heapUsed = (await sampleMemory(this.live.session)).heapUsed;
    const headroom = await targetHeadroom(this.live.pid, this.live.url);
    return assessSnapshotRisk(heapUsed, headroom);
  }
}
