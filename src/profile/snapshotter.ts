import { chmodSync } from 'node:fs';
import path from 'node:path';
import type { LiveTarget } from '../inspector/connect.js';
import { takeHeapSnapshot } from '../inspector/heap-snapshot.js';
import { targetHeadroom } from '../inspector/headroom.js';
import { sampleMemory } from '../inspector/sampler.js';
import { assessSnapshotRisk, type SnapshotRisk } from '../inspector/snapshot-risk.js';
import type { Recording, SnapshotRecord } from './recording.js';
import { message, type RunControl } from './run-control.js';

/** Takes snapshots into DIR (mode 0600: they hold the target's heap content). */
export class Snapshotter {
  private attempts = 0;
  private warned = false;

  constructor(
    private readonly live: LiveTarget,
    private readonly dir: string,
    private readonly rec: Recording,
    private readonly progress: (line: string) => void,
    private readonly force: boolean,
    /** Called when a snapshot is skipped for lack of memory (the run then samples instead). */
    private readonly onSkipped: () => Promise<void> = () => Promise.resolve(),
    /** A fleet's: one instance frozen at a time. */
    private readonly lock: <T>(take: () => Promise<T>) => Promise<T> = (take) => take(),
  ) {}

  /** Takes one snapshot; a skipped or failed one is noted and the run goes on. */
  async take(label: string, run: RunControl, meta: Omit<SnapshotRecord, 'path' | 'label' | 't'> = {}): Promise<SnapshotRecord | null> {
    const index = ++this.attempts;
    const file = path.join(this.dir, `snapshot-${index}-${label}.heapsnapshot`);
    try {
      // A snapshot briefly needs several times heap used of native memory: on a target that does
      // not have it, skip the snapshot (the run goes on) rather than get the target killed.
      const risk = await this.risk();
      if (risk && risk.verdict === 'refuse' && !this.force) {
        this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' skipped: ${risk.message}; pass --force to take it anyway`;
        this.progress(`snapshot ${index} (${label}) skipped: ${risk.message}; pass --force to take it anyway`);
        await this.onSkipped();
        return null;
      }
      if (risk && !this.warned) {
        this.warned = true;
        this.progress(`note: ${risk.message}`);
      }
      await this.lock(async () => {
        this.progress(`snapshot ${index} (${label}): the target is frozen while it is written...`);
        await takeHeapSnapshot(this.live.session, file, {});
      });
      chmodSync(file, 0o600);
      const shot: SnapshotRecord = { path: file, label, t: Date.now(), ...meta };
      this.rec.snapshots.push(shot);
      this.progress(`snapshot ${index} written: ${file}`);
      return shot;
    } catch (err) {
      run.failed(err);
      this.rec.notes[`snapshots.${index}`] = `snapshot '${label}' failed: ${message(err)}`;
      return null;
    }
  }

  private async risk(): Promise<SnapshotRisk | null> {
    const heapUsed = (await sampleMemory(this.live.session)).heapUsed;
    const headroom = await targetHeadroom(this.live.pid, this.live.url);
    return assessSnapshotRisk(heapUsed, headroom);
  }
}
