import { describe, expect, it } from 'vitest';
import { capacityPlan } from '../../src/analysis/capacity.js';
import { sampleReport } from '../report/sample-report.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('capacityPlan', () => {
  it('projects from the RSS fit of the steps: (usable − fixed) / marginal, default reserve 10% of RAM', () => {
    // sampleReport's steps: RSS = 80 MiB + 60 KiB × N.
    const report = sampleReport((r) => delete r.connections!.rss); // fitted from the steps themselves
    const p = capacityPlan(report, { ramBytes: 16 * GiB, pricePerHour: 0.5, connections: 1_000_000 });
    expect(p.basis).toBe('rss');
    expect(p.marginalBytesPerConnection).toBeCloseTo(60 * KiB, 6);
    expect(p.fixedBytes).toBeCloseTo(80 * MiB, 0);
    expect(p.reserveBytes).toBeCloseTo(1.6 * GiB, 0);
    expect(p.usableBytes).toBeCloseTo(14.4 * GiB, 0);
    const perInstance = Math.floor((14.4 * GiB - 80 * MiB) / (60 * KiB));
    expect(p.connectionsPerInstance).toBe(perInstance);
    expect(p.measuredUpTo).toBe(1000);
    const minimum = Math.ceil(1_000_000 / perInstance);
    expect(p.deployments!.minimum).toMatchObject({ instances: minimum, monthlyCost: minimum * 0.5 * 730 });
    expect(p.deployments!.nPlusOne.instances).toBe(minimum + 1);
    expect(p.deployments!.oneToOne.instances).toBe(2 * minimum);
    expect(p.deployments!.oneToOne.connectionsPerInstance).toBe(Math.ceil(1_000_000 / (2 * minimum)));
    expect(p.monthlyCostPerInstance).toBe(365);
    expect(p.assumptions.join('\n')).toMatch(/extrapolated 250× beyond the largest measured step/);
    // Heap at capacity: 40 MiB + 30 KiB per connection.
    expect(p.heapAtCapacityBytes).toBeCloseTo(40 * MiB + 30 * KiB * perInstance, 0);
  });

  it('falls back to the heap fit, and says so, when RSS was not measured at two steps', () => {
    const report = sampleReport((r) => {
      delete r.connections!.rss;
      r.connections!.steps.forEach((s, i) => (s.rssBytes = i === 0 ? 100 * MiB : null));
    });
    const p = capacityPlan(report, { ramBytes: 4 * GiB });
    expect(p.basis).toBe('heap');
    expect(p.basisNote).toMatch(/underestimates/);
    expect(p.reserveBytes).toBe(GiB); // 10% of 4 GiB is below the 1 GiB floor
    expect(p.connectionsPerInstance).toBe(Math.floor((3 * GiB - 40 * MiB) / (30 * KiB)));
    expect(p.deployments).toBeNull();
  });

  it('takes the reserve as bytes or as a fraction of RAM', () => {
    expect(capacityPlan(sampleReport(), { ramBytes: 10 * GiB, reserve: { bytes: 2 * GiB } }).usableBytes).toBe(8 * GiB);
    expect(capacityPlan(sampleReport(), { ramBytes: 10 * GiB, reserve: { fraction: 0.25 } }).usableBytes).toBe(7.5 * GiB);
  });

  it('refuses without a measured per-connection figure, or when no capacity follows', () => {
    expect(() => capacityPlan(sampleReport((r) => delete r.connections), { ramBytes: GiB * 8 })).toThrow(/no connections section/);
    const oneStep = sampleReport((r) => {
      r.connections!.steps = r.connections!.steps.slice(0, 1);
      r.connections!.marginalBytesPerConnection = null;
      r.connections!.fixedBytes = null;
      r.connections!.rss = null;
      r.notes = { 'connections.marginalBytesPerConnection': 'heap measured at 1 distinct connection count(s)' };
    });
    expect(() => capacityPlan(oneStep, { ramBytes: 8 * GiB })).toThrow(/no measured per-connection figure \(heap measured at 1 distinct/);
    const flat = sampleReport((r) => {
      r.connections!.rss = { marginalBytesPerConnection: -5, fixedBytes: 80 * MiB, r2: 0.1, n: 3 };
    });
    expect(() => capacityPlan(flat, { ramBytes: 8 * GiB })).toThrow(/did not grow with connections/);
    expect(() => capacityPlan(sampleReport(), { ramBytes: 1 * GiB })).toThrow(/leaves no usable memory/);
    expect(() => capacityPlan(sampleReport(), { ramBytes: 1.05 * GiB })).toThrow(/does not fit in the usable/);
  });
});

describe('capacityPlan caveats', () => {
  it('says when the fit has only 2 steps, and counts a negative intercept as 0', () => {
    const report = sampleReport((r) => {
      delete r.connections!.rss;
      r.connections!.steps = [
        { connections: 100, heapUsedBytes: 1 * MiB, rssBytes: 2 * MiB, bytesPerConnection: null },
        { connections: 200, heapUsedBytes: 4 * MiB, rssBytes: 12 * MiB, bytesPerConnection: null },
      ];
    });
    // RSS: 100 KiB... per connection: slope (12 − 2) MiB / 100 = 102.4 KiB, intercept 2 − 10 = −8 MiB.
    const p = capacityPlan(report, { ramBytes: 2 * GiB });
    expect(p.fixedBytes).toBeCloseTo(-8 * MiB, 0);
    expect(p.connectionsPerInstance).toBe(Math.floor(GiB / ((10 * MiB) / 100)));
    expect(p.assumptions.join('\n')).toMatch(/intercept is negative \(-8\.0 MiB\).*counted as 0/);
    expect(p.assumptions.join('\n')).toMatch(/a line through 2 steps always fits/);
  });
});
