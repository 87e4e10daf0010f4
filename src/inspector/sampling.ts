import type { SamplingProfile } from '../analysis/allocation-sites.js';
import type { CdpSession } from './session.js';

/**
 * V8's sampling heap profiler over the inspector. With both `includeObjectsCollectedBy...` false
 * (V8's default, said here so it does not depend on it) a sample is dropped when its object is
 * collected, so a profile read later holds live objects only, attributed to the stack that
 * allocated them. It samples about one allocation per interval bytes: the cost is a stack walk
 * per sample and a weak handle per live sample, whatever the heap's size.
 */
export async function startSampling(session: CdpSession, intervalBytes: number): Promise<void> {
  await session.send('HeapProfiler.startSampling', {
    samplingInterval: intervalBytes,
    includeObjectsCollectedByMajorGC: false,
    includeObjectsCollectedByMinorGC: false,
  });
}

/** The live samples now (sampling goes on). The answer grows with live samples: minutes at a large heap are allowed. */
export async function readSamplingProfile(session: CdpSession): Promise<SamplingProfile> {
  const r = await session.send<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile', {}, { timeoutMs: 300_000 });
  return r.profile;
}

/** Stops sampling; V8 frees its samples. */
export async function stopSampling(session: CdpSession): Promise<void> {
  await session.send('HeapProfiler.stopSampling', {}, { timeoutMs: 300_000 });
}
