/**
 * Heap after GC, with V8's own code set apart. Measured at still points with the traffic going
 * on, heap used after a full GC still moves by hundreds of KiB with no change in what the program
 * keeps: V8 flushes the bytecode of functions not run lately (every full GC ages it, memprof's own
 * included), recompiles them when they run again, and optimises hot ones, and with each of these
 * comes metadata (feedback vectors, source positions, deoptimisation data) of about the same size
 * again. V8's code statistics (machine code and bytecode with their metadata) move with all of it
 * in proportion, so the growth fit takes them as a covariate: heap = a + slope·t + k·code, with k
 * fitted (about 1.3–1.4 on Node 20, V8's metadata outside the statistics being the rest). What is
 * left is the program's memory; at rest or with no code churn the covariate does nothing.
 *
 * The covariate's fit is least trimmed squares (the 75 % of points that fit a plane best, found
 * from every triple of points, then refined), so one point taken before a big flush cannot tilt
 * k; the slope itself is then fitted by robust-fit.ts on heap − k·code (steps, outliers, its
 * standard error).
 */

/** Below this spread of the code statistics, there is nothing to adjust for (bytes). */
const MIN_CODE_RANGE = 16 * 1024;
/** Fewer points than this cannot fit three parameters and still test them. */
const MIN_POINTS = 6;
/** Share of the points the trimmed fit keeps. */
const COVERAGE = 0.75;
/** Triples tried at most (all of them up to 25 points; spread evenly beyond). */
const MAX_TRIPLES = 2300;

export interface CodeAdjustment {
  /** Bytes of heap per byte of V8 code statistics. */
  factor: number;
  /** Points the trimmed fit found far off the plane (flagged, for robust-fit.ts to weigh again). */
  suspects: number;
}

/**
 * The fitted k for y ≈ a + b·t + k·c, or null when the code statistics do not vary enough (or
 * the points are too few) to tell: then no adjustment is made.
 */
export function codeFactor(t: ArrayLike<number>, y: ArrayLike<number>, c: ArrayLike<number>): CodeAdjustment | null {
  const n = Math.min(t.length, y.length, c.length);
  if (n < MIN_POINTS) return null;
  let cMin = Infinity;
  let cMax = -Infinity;
  for (let i = 0; i < n; i++) {
    cMin = Math.min(cMin, c[i]);
    cMax = Math.max(cMax, c[i]);
  }
  if (!(cMax - cMin >= MIN_CODE_RANGE)) return null;
  // Centred and scaled: epoch ms and byte counts in one normal-equation matrix lose precision.
  const tm = meanOf(t, n);
  const ym = meanOf(y, n);
  const cm = meanOf(c, n);
  const rows: Array<[number, number, number]> = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    rows.push([1, (t[i] - tm) / 1000, (c[i] - cm) / 1024]);
    ys.push((y[i] - ym) / 1024);
  }
  const h = Math.max(MIN_POINTS - 1, Math.ceil(COVERAGE * n));
  let best: { obj: number; beta: number[] } | null = null;
  for (const triple of triples(n)) {
    let keep = triple;
    let beta = solve(rows, ys, keep);
    if (!beta) continue;
    // Concentration steps: refit on the h points closest to the current plane.
    for (let step = 0; step < 3 && beta; step++) {
      keep = closest(rows, ys, beta, h);
      beta = solve(rows, ys, keep) ?? beta;
    }
    const obj = trimmedSum(rows, ys, beta, h);
    if (!best || obj < best.obj) best = { obj, beta };
  }
  if (!best || !Number.isFinite(best.beta[2])) return null;
  const scale = Math.sqrt(best.obj / Math.max(1, h - 3)) * 1.3;
  let suspects = 0;
  for (let i = 0; i < n; i++) if (Math.abs(residual(rows[i], ys[i], best.beta)) > 3 * Math.max(scale, 0.5)) suspects++;
  return { factor: best.beta[2], suspects };
}

function* triples(n: number): Generator<number[]> {
  const total = (n * (n - 1) * (n - 2)) / 6;
  const every = Math.max(1, Math.floor(total / MAX_TRIPLES));
  let k = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      for (let c = b + 1; c < n; c++) if (k++ % every === 0) yield [a, b, c];
    }
  }
}

function residual(row: number[], y: number, beta: number[]): number {
  return y - row[0] * beta[0] - row[1] * beta[1] - row[2] * beta[2];
}

function closest(rows: number[][], ys: number[], beta: number[], h: number): number[] {
  return rows
    .map((r, i) => [Math.abs(residual(r, ys[i], beta)), i] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, h)
    .map(([, i]) => i);
}

function trimmedSum(rows: number[][], ys: number[], beta: number[], h: number): number {
  const sq = rows.map((r, i) => residual(r, ys[i], beta) ** 2).sort((a, b) => a - b);
  let s = 0;
  for (let i = 0; i < h; i++) s += sq[i];
  return s;
}

/** Least squares of ys on rows over `keep` (3 columns), by the normal equations; null if singular. */
function solve(rows: number[][], ys: number[], keep: number[]): number[] | null {
  const a = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const b = [0, 0, 0];
  for (const i of keep) {
    const r = rows[i];
    for (let j = 0; j < 3; j++) {
      b[j] += r[j] * ys[i];
      for (let k = 0; k < 3; k++) a[j][k] += r[j] * r[k];
    }
  }
  // Cramer's rule on a 3×3: small, exact enough after centring, and no pivoting code.
  const det = (m: number[][]): number =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(a);
  if (!(Math.abs(d) > 1e-9)) return null;
  return [0, 1, 2].map((col) => det(a.map((row, i) => row.map((v, j) => (j === col ? b[i] : v)))) / d);
}

function meanOf(v: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  return s / n;
}
