/** The pure analysis: measurements in, report figures out. No I/O. */
export { linearFit, nearestRank, mean } from './stats.js';
export { connectionsSection, connectionsNotes, fitSteps, type StepMeasurement } from './connections.js';
export { gcSection, gcNotes, kindStats } from './gc.js';
export { growthSection, growthNotes, MIN_POINTS, MIN_SPAN_MS, type GrowthOptions, type GrowthResult } from './growth.js';
export { robustSlope, tQuantile975, type RobustFit } from './robust-fit.js';
export { poolSection, poolNotes } from './pools.js';
export { retainedDistribution } from './retained.js';
export type { GcEvent, MemorySample, RawPoolCounters, LinearFit, SteadyWindow } from '../model/recording.js';
export { capacityPlan, HOURS_PER_MONTH, type CapacityPlan, type PlanInput, type Deployment } from './capacity.js';
