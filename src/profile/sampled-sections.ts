import { sampledLeaks, sessionSites } from '../analysis/sampled-leaks.js';
import type { Report } from '../model/report.js';
import { attributeGrowth } from '../snapshot/index.js';
import type { Recording } from './recording.js';

/**
 * What the sampling heap profiler adds to the report, when it ran. Its leaks stand in for the
 * snapshot method's when that one has nothing to say (no snapshot, or one skipped or failed), and
 * join them when --sampling asked for both. Per-session allocation sites go beside the
 * per-session figures. Pure: edits `report` and `notes` in place.
 */
export function applySampling(rec: Recording, report: Report, notes: Record<string, string>): void {
  const heap = rec.sampling;
  if (!heap) return;
  if (report.connections) {
    const composition = sessionSites(heap);
    report.connections.sessionSites = composition.sites;
    if (composition.note) notes['connections.sessionSites'] = composition.note;
  }
  const found = sampledLeaks(heap);
  const fromSnapshots = Array.isArray(report.leaks);
  if (found.leaks === null) {
    // Said, not failed: without a window the run did not set out to measure growth over one.
    notes[report.leaks === undefined ? 'leaks' : 'leaks.sampling'] ??= found.notes.leaks;
    return;
  }
  if (fromSnapshots && !heap.explicit) return;
  const method = `V8's sampling heap profiler over the steady window, live objects only (${heap.reason})`;
  if (fromSnapshots) {
    report.leaks = [...report.leaks!, ...found.leaks];
    notes['leaks.sampling'] = `entries of kind allocation-site are from ${method}`;
  } else {
    const before = report.leaks === null && notes.leaks ? `; the snapshot method did not run: ${notes.leaks}` : '';
    report.leaks = found.leaks;
    notes.leaks = `found without a heap snapshot: ${method}${before}`;
  }
  for (const [k, v] of Object.entries(found.notes)) notes[k] ??= v;
  if (found.leaks.length > 0 && typeof report.growth.steadyBytesPerHour === 'number') {
    report.growth.attribution = attributeGrowth(report.growth.steadyBytesPerHour, report.leaks);
  }
}
