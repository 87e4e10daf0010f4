import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { tempDir } from '../e2e/helpers.js';

/** A day at memprof's default interval (1 s). */
const SAMPLES = 86_400;
/** Old-space limit of the process that assembles the report: the bound this test asserts. */
const HEAP_LIMIT_MB = 96;
const T0 = 1_700_000_000_000;
const SPACES = ['read_only_space', 'new_space', 'old_space', 'code_space', 'shared_space', 'trusted_space', 'new_large_object_space', 'large_object_space', 'code_large_object_space'];

/** samples.jsonl and gc.jsonl of a simulated 24-hour timed run: a server whose heap saws between GCs and creeps up 1 MiB/h. */
async function writeDay(dir: string): Promise<void> {
  const samples = createWriteStream(path.join(dir, 'samples.jsonl'));
  const gc = createWriteStream(path.join(dir, 'gc.jsonl'));
  for (let i = 0; i < SAMPLES; i++) {
    const t = T0 + i * 1000;
    const base = 40e6 + (i / 3600) * 1048576;
    const heapUsed = Math.round(base + (i % 30) * 200_000);
    const spaces = SPACES.map((name, k) => ({ name, size: 4e6 + k, used: name === 'new_space' ? (i % 30) * 200_000 : 1e6 + k, available: 1e5 }));
    const s = { t, heapUsed, heapTotal: heapUsed * 1.5, rss: heapUsed * 2.5, external: 2e6, arrayBuffers: 1e5, phase: 'steady', spaces, code: { code: 3e6, bytecode: 2e6 }, ...(i === 0 || i === SAMPLES - 1 ? { afterGc: true, gcMs: 12 } : {}) };
    if (!samples.write(JSON.stringify(s) + '\n')) await once(samples, 'drain');
    if (i % 2 === 0 && !gc.write(JSON.stringify({ t: t + 500, kind: i % 30 === 0 ? 'major' : 'minor', durationMs: i % 30 === 0 ? 8 : 1.2 }) + '\n')) await once(gc, 'drain');
  }
  samples.end();
  gc.end();
  await Promise.all([once(samples, 'close'), once(gc, 'close')]);
}

/**
 * Reads the files back as the run held them (each sample compacted as the profiler keeps it) and
 * assembles report.json, in a process whose heap is capped: it either fits, or V8 aborts it.
 */
const ASSEMBLE = `
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { assembleReport } from './dist/profile/assemble.js';
import { compactSample, emptyRecording } from './dist/profile/recording.js';
const dir = process.argv[1];
const rec = emptyRecording(0);
for await (const line of createInterface({ input: createReadStream(dir + '/samples.jsonl') })) if (line) rec.samples.push(compactSample(JSON.parse(line)));
for await (const line of createInterface({ input: createReadStream(dir + '/gc.jsonl') })) if (line) rec.gcEvents.push(JSON.parse(line));
rec.startedAt = rec.samples[0].t;
rec.endedAt = rec.samples[rec.samples.length - 1].t;
const held = process.memoryUsage().heapUsed;
const started = performance.now();
const report = assembleReport(rec, 'test');
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, heldMB: held / 1048576, durationSec: report.durationSec, growth: report.growth.steadyBytesPerHour, majors: report.gc.major.count, minors: report.gc.minor.count }));
`;

describe('a 24-hour run', () => {
  it(`assembles the report of ${SAMPLES} samples within a ${HEAP_LIMIT_MB} MB heap`, async () => {
    const dir = tempDir('memprof-day-');
    await writeDay(dir);
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--input-type=module', '-e', ASSEMBLE, dir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const out = JSON.parse(r.stdout) as { ms: number; heldMB: number; durationSec: number; growth: number; majors: number; minors: number };
    expect(out.durationSec).toBe(SAMPLES - 1);
    expect(out.majors).toBe(SAMPLES / 30);
    expect(out.minors).toBe(SAMPLES / 2 - SAMPLES / 30);
    // The creep of 1 MiB/h is found over the day (the lower envelope of the sawtooth).
    expect(out.growth / 1048576).toBeGreaterThan(0.9);
    expect(out.growth / 1048576).toBeLessThan(1.1);
    console.log(`24-hour run: ${SAMPLES} samples held in ${out.heldMB.toFixed(1)} MB of heap, report assembled in ${out.ms.toFixed(0)} ms`);
  }, 180_000);
});
