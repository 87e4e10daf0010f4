import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sumBySite } from '../analysis/allocation-sites.js';
import type { LiveTarget } from '../inspector/connect.js';
import { readSamplingProfile, startSampling, stopSampling } from '../inspector/sampling.js';
import type { SampledHeap, SampledHeapPoint } from '../model/recording.js';
import type { Recording } from './recording.js';
import { message } from './run-control.js';

/**
 * 32 KiB, V8's and DevTools' default: a leak of 1 KiB per request shows as ~300 samples per 10,000
 * requests (±6 %), while the target walks one stack per 32 KiB allocated and keeps one weak handle
 * per live sample (a 3.6 GiB heap sampled from the start: ~110K samples, a few MB in the target).
 * A smaller interval costs the target in proportion, and the profile read at each point with it.
 */
export const DEFAULT_SAMPLING_INTERVAL = 32 * 1024;

/** --sampling: 'on' always, 'off' never, 'auto' when no full snapshot is taken. */
export type SamplingMode = 'auto' | 'on' | 'off';

/**
 * The sampling heap profiler over a profile run: started once, read at the run's still points
 * (each read is summed by allocation site at once, so only sums are kept), stopped at the end.
 * Failures never stop the run: they become a note.
 */
export class SamplingCapture {
  private heap: SampledHeap | null = null;
  private failed = false;

  constructor(
    private readonly live: LiveTarget,
    private readonly rec: Recording,
    private readonly intervalBytes: number,
    private readonly progress: (line: string) => void,
  ) {}

  get running(): boolean {
    return this.heap !== null && !this.failed;
  }

  async start(reason: string, explicit: boolean): Promise<void> {
    if (this.heap || this.failed) return;
    try {
      await startSampling(this.live.session, this.intervalBytes);
      this.heap = { intervalBytes: this.intervalBytes, reason, explicit, points: [], sites: {} };
      this.rec.sampling = this.heap;
      this.progress(`sampling heap profiler on (one sample per ${Math.round(this.intervalBytes / 1024)} KiB allocated): ${reason}`);
    } catch (err) {
      this.fail(err);
    }
  }

  async point(role: SampledHeapPoint['role'], meta: { connections?: number; requests?: number }): Promise<void> {
    if (!this.running) return;
    try {
      const profile = await readSamplingProfile(this.live.session);
      this.heap!.points.push({ t: Date.now(), role, ...meta, bytes: sumBySite(profile, this.heap!.sites) });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Stops the profiler and keeps what it measured in DIR/allocation-sites.json (sites and their bytes at each point). */
  async stop(outDir: string): Promise<void> {
    if (!this.heap) return;
    if (!this.failed) {
      try {
        await stopSampling(this.live.session);
      } catch {
        // The session may be gone; V8 drops the profiler with it.
      }
    }
    try {
      writeFileSync(path.join(outDir, 'allocation-sites.json'), JSON.stringify(this.heap), { mode: 0o600 });
    } catch (err) {
      this.rec.notes['sampling.file'] = `allocation-sites.json could not be written: ${message(err)}`;
    }
  }

  private fail(err: unknown): void {
    this.failed = true;
    this.rec.notes.sampling = `the sampling heap profiler failed: ${message(err)}`;
  }
}
