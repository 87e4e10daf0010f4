/** Which way is worse: a bigger figure (memory, latency) or a smaller one (throughput). */
export type Direction = 'bigger' | 'smaller';

/**
 * Figures whose direction of "worse" is known whatever a check's operator says, and which
 * `check --baseline` compares even when no check names them: the load generator's throughput and
 * latency (the study's "throughput +1–3 %, latency −5–10 %, connection establishment +3 %").
 */
export const LOAD_FIGURES: ReadonlyArray<{ path: string; worse: Direction }> = [
  { path: 'load.msgPerSec', worse: 'smaller' },
  { path: 'load.connectPerSec', worse: 'smaller' },
  { path: 'load.latencyMs.p99', worse: 'bigger' },
];
