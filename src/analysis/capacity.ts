import { fitSteps } from './connections.js';
import type { Report } from '../model/report.js';
import { inputError } from '../util/errors.js';

const GiB = 1024 ** 3;
export const HOURS_PER_MONTH = 730;

export interface PlanInput {
  ramBytes: number;
  /** RAM kept for the OS and everything else; bytes, or a fraction of RAM. Default: 10% of RAM, at least 1 GiB. */
  reserve?: { bytes: number } | { fraction: number };
  pricePerHour?: number;
  connections?: number;
  /**
   * A fleet report's measured imbalance (the most loaded instance over the mean, minus 1): each
   * instance is planned to carry its share times (1 + imbalance), so the most loaded one still fits.
   */
  imbalance?: number;
}

/** One way to deploy `connections`: how many instances, and what each carries. */
export interface Deployment {
  /** Instances needed. */
  instances: number;
  /** Connections each instance carries. */
  connectionsPerInstance: number;
  /** Memory one instance needs for them (fixed + marginal × connections), bytes. */
  memoryPerInstanceBytes: number;
  /** instances × price × hours per month; null without `--price`. */
  monthlyCost: number | null;
}

/** `memprof plan REPORT --json` (memprof/plan@1): capacity and cost from a report's measured figures. */
export interface CapacityPlan {
  /** Always `memprof/plan@1`. */
  schema: 'memprof/plan@1';
  /** Which fit the projection uses: RSS (what the OS must provide) when measured at 2+ steps, else heap. */
  basis: 'rss' | 'heap';
  /** Why that basis, in words. */
  basisNote: string;
  /** Slope of the fit used, bytes per connection. */
  marginalBytesPerConnection: number;
  /** Intercept of the fit used, bytes (a negative intercept counts as 0 in the projection). */
  fixedBytes: number;
  /** Coefficient of determination of the fit (0..1). */
  r2: number | null;
  /** Steps the fit used. */
  steps: number;
  /** Largest connection count actually measured: everything beyond it is extrapolated. */
  measuredUpTo: number;
  /** RAM of one instance (`--ram`), bytes. */
  ramBytes: number;
  /** RAM kept for the OS and other processes, bytes. */
  reserveBytes: number;
  /** How the reserve was chosen, in words. */
  reserveRule: string;
  /** ramBytes - reserveBytes. */
  usableBytes: number;
  /** Connections one instance holds: (usable - fixed) / marginal, rounded down (divided by 1 + imbalance for a fleet). */
  connectionsPerInstance: number;
  /** From a fleet report: the measured imbalance kept as a margin (see PlanInput.imbalance); absent otherwise. */
  imbalanceMargin?: number;
  /** Heap one process holds at that capacity (from the heap fit), bytes, for V8's heap limit. */
  heapAtCapacityBytes: number | null;
  /** Connections to plan for (`--connections`); null without it. */
  connections: number | null;
  /** No redundancy / N+1 (survives losing one instance) / 1:1 (every instance mirrored); null without `--connections`. */
  deployments: {
    /** The fewest instances that carry the connections. */
    minimum: Deployment;
    /** One more, so losing any one instance is survived. */
    nPlusOne: Deployment;
    /** Every instance mirrored. */
    oneToOne: Deployment;
  } | null;
  /** Hours per month the costs assume (730). */
  hoursPerMonth: number;
  /** Price of one instance per hour (`--price`); null without it. */
  pricePerHour: number | null;
  /** pricePerHour × hoursPerMonth; null without `--price`. */
  monthlyCostPerInstance: number | null;
  /** What the projection assumes, one sentence each. */
  assumptions: string[];
}

/**
 * The origin report's "real-world projection" and "cost analysis", from measured figures only:
 * capacity = (usable RAM − fixed) / marginal per connection. Throws an input error when the report
 * has no measured per-connection figure, or when the figures cannot give a capacity.
 */
export function capacityPlan(report: Report, input: PlanInput): CapacityPlan {
  const c = report.connections;
  if (!c) {
    throw inputError('the report has no connections section: run profile or run with --mcp URL --ramp N1,N2,... to measure memory per connection');
  }
  const rss = c.rss ?? fitSteps(c.steps, 'rssBytes');
  const heap =
    c.marginalBytesPerConnection !== null && c.fixedBytes !== null
      ? { marginalBytesPerConnection: c.marginalBytesPerConnection, fixedBytes: c.fixedBytes, r2: c.r2, n: c.steps.filter((s) => s.heapUsedBytes !== null).length }
      : fitSteps(c.steps, 'heapUsedBytes');
  const fit = rss ?? heap;
  if (!fit) {
    const why = report.notes?.['connections.marginalBytesPerConnection'];
    throw inputError(`the report has no measured per-connection figure${why ? ` (${why})` : ''}: ramp over 2 or more steps (--ramp 100,500,1000)`);
  }
  const basis = rss ? 'rss' : 'heap';
  const marginal = fit.marginalBytesPerConnection;
  if (!(marginal > 0)) {
    throw inputError(
      `the measured marginal ${basis === 'rss' ? 'RSS' : 'heap'} per connection is ${marginal.toFixed(0)} B: memory did not grow with connections, so no capacity follows from it (ramp over a wider range)`,
    );
  }

  const ram = input.ramBytes;
  if (!(ram > 0)) throw inputError('--ram must be a positive size, e.g. 16GiB');
  let reserveBytes: number;
  let reserveRule: string;
  if (input.reserve === undefined) {
    reserveBytes = Math.max(0.1 * ram, GiB);
    reserveRule = `default: 10% of RAM, at least 1 GiB; ${reserveBytes === GiB ? '1 GiB' : '10%'} here`;
  } else if ('fraction' in input.reserve) {
    reserveBytes = input.reserve.fraction * ram;
    reserveRule = `--reserve ${+(input.reserve.fraction * 100).toFixed(4)}% of RAM`;
  } else {
    reserveBytes = input.reserve.bytes;
    reserveRule = '--reserve';
  }
  const usable = ram - reserveBytes;
  if (!(usable > 0)) throw inputError(`the reserve (${fmtGiB(reserveBytes)}) leaves no usable memory out of --ram ${fmtGiB(ram)}`);
  const fixed = Math.max(0, fit.fixedBytes);
  if (fixed >= usable) {
    throw inputError(`the measured fixed memory (${fmtGiB(fixed)}) does not fit in the usable ${fmtGiB(usable)}: give more --ram or a smaller --reserve`);
  }
  const margin = Math.max(0, input.imbalance ?? 0);
  // A fleet's load is not spread evenly: the most loaded instance must fit too.
  const perInstance = Math.floor((usable - fixed) / marginal / (1 + margin));
  if (perInstance < 1) throw inputError(`not even one connection fits in ${fmtGiB(usable)} usable memory`);

  const measuredUpTo = Math.max(0, ...c.steps.filter((s) => (basis === 'rss' ? s.rssBytes : s.heapUsedBytes) !== null).map((s) => s.connections));
  const price = input.pricePerHour ?? null;
  const monthlyPerInstance = price === null ? null : price * HOURS_PER_MONTH;
  const memoryAt = (n: number) => fixed + marginal * n;

  let deployments: CapacityPlan['deployments'] = null;
  const n = input.connections ?? null;
  if (n !== null) {
    const minimum = Math.max(1, Math.ceil(n / perInstance));
    const deployment = (instances: number, share: number): Deployment => {
      const each = Math.ceil(n / share);
      return {
        instances,
        connectionsPerInstance: each,
        memoryPerInstanceBytes: memoryAt(each),
        monthlyCost: monthlyPerInstance === null ? null : monthlyPerInstance * instances,
      };
    };
    deployments = {
      minimum: deployment(minimum, minimum),
      nPlusOne: deployment(minimum + 1, minimum + 1),
      // Mirrored pairs: each side carries its share, and alone could carry its twin's.
      oneToOne: deployment(2 * minimum, 2 * minimum),
    };
  }

  const assumptions = [
    `memory = fixed + marginal × connections, a straight line fitted to the measured steps (${fit.n} steps up to ${measuredUpTo.toLocaleString('en-US')} connections)`,
    `the connections behave like those measured (same traffic, same session state); heavier sessions cost more`,
    `${HOURS_PER_MONTH} hours per month`,
    'one server process per instance; RAM beyond the usable part is left to the OS, page cache and other processes',
  ];
  const factor = perInstance / Math.max(1, measuredUpTo);
  if (factor > 2) {
    assumptions.push(
      `capacity is extrapolated ${factor.toFixed(factor >= 10 ? 0 : 1)}× beyond the largest measured step: ramp closer to it to confirm the line holds`,
    );
  }
  if (fit.fixedBytes < 0) {
    assumptions.push(`the fit's intercept is negative (${(fit.fixedBytes / 1024 ** 2).toFixed(1)} MiB), which no process has: counted as 0`);
  }
  if (input.imbalance !== undefined) {
    assumptions.push(
      `figures per instance, from the fleet's instances; each is planned at its share × ${(1 + margin).toFixed(2)}: the measured imbalance (${(margin * 100).toFixed(0)} %) as a margin`,
    );
  }
  if (fit.n === 2) assumptions.push('a line through 2 steps always fits: ramp over 3 or more steps to see whether memory really grows linearly');
  if (fit.r2 !== null && fit.r2 < 0.9) assumptions.push(`the fit is loose (R² ${fit.r2.toFixed(2)}): the projection is uncertain`);
  let heapAtCapacity: number | null = null;
  if (heap && heap.marginalBytesPerConnection > 0) {
    heapAtCapacity = Math.max(0, heap.fixedBytes) + heap.marginalBytesPerConnection * perInstance;
    assumptions.push(
      `at capacity one process holds ${fmtGiB(heapAtCapacity)} of V8 heap: its heap limit (node --max-old-space-size, a few GiB by default) must allow it, or run several processes per instance`,
    );
  }
  return {
    schema: 'memprof/plan@1',
    basis,
    basisNote:
      basis === 'rss'
        ? `RSS, fitted over ${fit.n} steps: what the OS must provide (heap, code, buffers, native memory)`
        : `heap used, fitted over ${fit.n} steps: RSS was not measured at 2 or more steps, and RSS adds the runtime, buffers and native memory, so this underestimates`,
    marginalBytesPerConnection: marginal,
    fixedBytes: fit.fixedBytes,
    r2: fit.r2,
    steps: fit.n,
    measuredUpTo,
    ramBytes: ram,
    reserveBytes,
    reserveRule,
    usableBytes: usable,
    connectionsPerInstance: perInstance,
    ...(input.imbalance !== undefined ? { imbalanceMargin: margin } : {}),
    heapAtCapacityBytes: heapAtCapacity,
    connections: n,
    deployments,
    hoursPerMonth: HOURS_PER_MONTH,
    pricePerHour: price,
    monthlyCostPerInstance: monthlyPerInstance,
    assumptions,
  };
}

function fmtGiB(b: number): string {
  return `${(b / GiB).toFixed(2)} GiB`;
}
